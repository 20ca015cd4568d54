package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.MaskCodec;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.ReadJson;
import org.springframework.stereotype.Component;

/**
 * A draft as the variables that complete the interpretation task: {@code findingCount} (kept, the
 * process decides on it) and the draft itself as transient variables, which the engine never writes to its tables or
 * its history: the interpretation and geometry as JSON text, the masks as bytes. In the engine's Java API form (a
 * worker in the engine's application) or its REST API form (a worker elsewhere), and read back on the engine's side.
 */
@Component
public class DraftVariables {

    private final ReadJson json;

    public DraftVariables(ObjectMapper json) {
        this.json = new ReadJson(json);
    }

    /** The completion's variables for the engine's Java API. */
    public VariableMap of(Draft draft) {
        return Variables.createVariables().putValue(FINDING_COUNT, draft.interpretation().findings().size())
                .putValueTyped(DRAFT_INTERPRETATION, Variables.stringValue(write(draft.interpretation()), true))
                .putValueTyped(DRAFT_VOLUME, Variables.stringValue(write(draft.volume()), true))
                .putValueTyped(DRAFT_MASKS, Variables.byteArrayValue(MaskCodec.encode(draft.masks()), true));
    }

    /** The completion's variables as the engine's REST API takes them ({@code POST /external-task/{id}/complete}). */
    public Map<String, Object> ofRest(Draft draft) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(FINDING_COUNT, Map.of("type", "Integer", "value", draft.interpretation().findings().size()));
        variables.put(DRAFT_INTERPRETATION, transientValue("String", write(draft.interpretation())));
        variables.put(DRAFT_VOLUME, transientValue("String", write(draft.volume())));
        variables.put(DRAFT_MASKS, transientValue("Bytes",
                Base64.getEncoder().encodeToString(MaskCodec.encode(draft.masks()))));
        return variables;
    }

    /** The draft handed over to {@code scope}; empty when the completion carried none. */
    public Optional<Draft> from(VariableScope scope) {
        Object interpretation = scope.getVariable(DRAFT_INTERPRETATION);
        Object volume = scope.getVariable(DRAFT_VOLUME);
        Object masks = scope.getVariable(DRAFT_MASKS);
        if (!(interpretation instanceof String draftJson) || !(volume instanceof String volumeJson)
                || !(masks instanceof byte[] maskBytes)) {
            return Optional.empty();
        }
        String of = "the draft handed over for read " + scope.getVariable(READ_ID);
        return Optional.of(new Draft(json.read(draftJson, Interpretation.class, of), MaskCodec.decode(maskBytes),
                json.read(volumeJson, VolumeGeometry.class, of)));
    }

    private static Map<String, Object> transientValue(String type, String value) {
        return Map.of("type", type, "value", value, "valueInfo", Map.of("transient", true));
    }

    private String write(Object value) {
        return json.write(value);
    }
}
