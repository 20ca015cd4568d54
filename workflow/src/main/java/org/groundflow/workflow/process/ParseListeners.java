package org.groundflow.workflow.process;

import java.util.ArrayList;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/** Adds BPMN parse listeners to an engine's configuration in a plugin's {@code preInit}, before or after Camunda's own. */
public final class ParseListeners {

    private ParseListeners() {
    }

    /** A listener that sees each element before the engine's own listeners (its listeners run first). */
    public static void before(ProcessEngineConfigurationImpl configuration, BpmnParseListener listener) {
        if (configuration.getCustomPreBPMNParseListeners() == null) {
            configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
        }
        configuration.getCustomPreBPMNParseListeners().add(listener);
    }

    /** A listener that sees each element after the engine's own listeners, with its behaviour in place. */
    public static void after(ProcessEngineConfigurationImpl configuration, BpmnParseListener listener) {
        if (configuration.getCustomPostBPMNParseListeners() == null) {
            configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
        }
        configuration.getCustomPostBPMNParseListeners().add(listener);
    }
}
