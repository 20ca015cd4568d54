package org.groundflow.workflow.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.impl.BpmnModelConstants;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.groundflow.workflow.ApplicationTest;
import org.groundflow.workflow.intake.IntakeVariables;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.worker.InterpretTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Camunda Modeler element templates of {@code bpmn/src/main/resources/element-templates}: one per step, each
 * valid against the Camunda 7 template schema (a pinned copy), naming an implementation this application has and
 * documenting its inputs and outputs; processes assembled from them deploy and run to their first step.
 */
class ElementTemplatesTest extends ApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_URL = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";
    private static final String ERROR_PREFIX = "groundflow.error.";
    private static final Pattern EXPRESSION_BEAN = Pattern.compile("\\$\\{\\s*([A-Za-z_][A-Za-z0-9_]*)");
    /** Template id → the element of the assembled processes it is applied to. */
    private static final Map<String, String> STEPS = Map.of(
            "org.groundflow.qido-intake", IntakeVariables.FIND_TASK,
            "org.groundflow.retrieve-study", "RetrieveStudy",
            "org.groundflow.interpret", "Interpret",
            "org.groundflow.radiologist-review", ReadVariables.REVIEW_TASK,
            "org.groundflow.escalate-review", "EscalateReview",
            "org.groundflow.publish-dicom", "PublishDicom",
            "org.groundflow.publish-fhir", "PublishFhir",
            "org.groundflow.withdraw-dicom", "WithdrawDicom",
            "org.groundflow.withdraw-amended-dicom", "WithdrawAmendedDicom",
            "org.groundflow.retract-fhir", "RetractFhir");

    private static Map<String, JsonNode> templates;

    @Autowired
    ApplicationContext context;
    @Autowired
    RepositoryService repository;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;

    @BeforeAll
    static void loadTemplates() throws IOException {
        templates = new LinkedHashMap<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:element-templates/*.json")) {
            try (InputStream in = resource.getInputStream()) {
                JsonNode template = JSON.readTree(in);
                templates.put(template.path("id").asText(), template);
            }
        }
    }

    private static Stream<JsonNode> properties(JsonNode template) {
        List<JsonNode> list = new ArrayList<>();
        template.path("properties").forEach(list::add);
        return list.stream();
    }

    private static Stream<JsonNode> bound(JsonNode template, String type, String name) {
        return properties(template).filter(p -> p.path("binding").path("type").asText().equals(type)
                && (name == null || p.path("binding").path("name").asText().equals(name)));
    }

    private static String value(JsonNode template, String propertyBinding) {
        return bound(template, "property", propertyBinding).map(p -> p.path("value").asText()).findFirst().orElse(null);
    }

    @Test
    void everyStepHasATemplate() {
        assertThat(templates.keySet()).containsExactlyInAnyOrderElementsOf(STEPS.keySet());
        templates.values().forEach(t -> assertThat(t.path("$schema").asText()).as(t.path("id").asText()).isEqualTo(SCHEMA_URL));
    }

    @Test
    void everyTemplateIsValidAgainstTheCamunda7Schema() throws IOException {
        Schema schema;
        try (InputStream in = getClass().getResourceAsStream("/element-templates-schema/schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(JSON.readTree(in));
        }
        templates.forEach((id, template) -> {
            List<Error> errors = schema.validate(template);
            assertThat(errors).as("schema errors of %s", id).isEmpty();
        });

        JsonNode broken = templates.get("org.groundflow.retrieve-study").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("properties").get(0).path("binding")).remove("name");
        assertThat(schema.validate(broken)).as("a property binding without its name").isNotEmpty();
    }

    @Test
    void everyImplementationExistsAndIsTheOneTheModelsUse() {
        Set<String> modelled = modelledImplementations();
        templates.forEach((id, template) -> {
            String delegate = value(template, "camunda:delegateExpression");
            String topic = value(template, "camunda:topic");
            if (delegate != null) {
                String bean = beanOf(delegate);
                assertThat(context.containsBean(bean)).as("%s: bean %s", id, bean).isTrue();
                assertThat(context.getBean(bean)).as("%s: bean %s", id, bean).isInstanceOf(JavaDelegate.class);
                assertThat(modelled).as("%s: a deployed model uses %s", id, delegate).contains(delegate);
            } else if (topic != null) {
                assertThat(value(template, "camunda:type")).isEqualTo("external");
                assertThat(topic).isEqualTo(ReadVariables.INTERPRET_TOPIC);
                assertThat(context.getBeanNamesForType(InterpretTopic.class)).as("the topic's worker").isNotEmpty();
                assertThat(modelled).as("%s: a deployed model uses topic %s", id, topic).contains("topic:" + topic);
            } else {
                assertThat(template.path("appliesTo").toString()).as(id).contains("bpmn:UserTask");
                assertThat(value(template, "camunda:candidateGroups")).isEqualTo(ReadVariables.RADIOLOGISTS);
                assertThat(value(template, "camunda:dueDate")).isNotBlank();
            }
            properties(template).map(p -> p.path("value").asText()).forEach(text -> {
                Matcher m = EXPRESSION_BEAN.matcher(text);
                while (m.find()) {
                    assertThat(context.containsBean(m.group(1))).as("%s: bean %s of %s", id, m.group(1), text).isTrue();
                }
            });
        });
    }

    @Test
    void everyTemplateDocumentsItsInputsAndOutputs() {
        Set<String> variables = variableNames();
        templates.forEach((id, template) -> {
            assertThat(template.path("description").asText()).as(id).isNotBlank();
            List<String> inputs = properties(template).map(p -> p.path("binding"))
                    .filter(b -> b.path("type").asText().equals("camunda:inputParameter")
                            || b.path("name").asText().startsWith("groundflow.input."))
                    .map(b -> b.path("name").asText().replace("groundflow.input.", "")).toList();
            List<String> outputs = properties(template).map(p -> p.path("binding"))
                    .filter(b -> b.path("name").asText().startsWith("groundflow.output."))
                    .map(b -> b.path("name").asText().replace("groundflow.output.", "")).toList();
            assertThat(inputs).as("%s inputs", id).isNotEmpty();
            assertThat(outputs).as("%s outputs", id).isNotEmpty();
            assertThat(variables).as("%s: known variable names", id).containsAll(inputs).containsAll(outputs);
            properties(template).filter(p -> !p.path("type").asText().equals("Hidden"))
                    .forEach(p -> assertThat(p.path("description").asText()).as("%s: %s", id, p.path("label")).isNotBlank());
            if (value(template, "camunda:delegateExpression") != null) {
                assertThat(value(template, "camunda:asyncBefore")).as("%s asyncBefore", id).isEqualTo("true");
                assertThat(template.path("metadata").path("groundflow").path("failedJobRetryTimeCycle").asText())
                        .as("%s retries", id).isEqualTo("${stepRetries.cycle}");
            }
        });
    }

    @Test
    void everyBpmnErrorOfAStepIsDocumentedByItsTemplateAndCaughtInTheModel() {
        Map<String, Set<String>> documented = new TreeMap<>();
        templates.forEach((id, template) -> bound(template, "camunda:property", null)
                .filter(p -> p.path("binding").path("name").asText().startsWith(ERROR_PREFIX))
                .forEach(p -> {
                    String code = p.path("binding").path("name").asText().substring(ERROR_PREFIX.length());
                    assertThat(p.path("value").asText()).as("%s: error %s", id, code).isEqualTo(code);
                    documented.computeIfAbsent(STEPS.get(id), k -> new TreeSet<>()).add(code);
                }));
        ProcessDefinition definition = repository.createProcessDefinitionQuery()
                .processDefinitionKey(ReadVariables.PROCESS_KEY).latestVersion().singleResult();
        Map<String, Set<String>> caught = new TreeMap<>();
        for (BoundaryEvent event : repository.getBpmnModelInstance(definition.getId()).getModelElementsByType(BoundaryEvent.class)) {
            for (EventDefinition eventDefinition : event.getEventDefinitions()) {
                if (eventDefinition instanceof ErrorEventDefinition error) {
                    assertThat(error.getError()).as("%s: the error it catches", event.getId()).isNotNull();
                    caught.computeIfAbsent(event.getAttachedTo().getId(), k -> new TreeSet<>())
                            .add(error.getError().getErrorCode());
                }
            }
        }
        assertThat(caught).containsEntry("RetrieveStudy",
                Set.of(ReadVariables.NO_READABLE_SERIES, ReadVariables.OUTSIDE_MODEL_DOMAIN));
        assertThat(documented).as("errors the templates document").isEqualTo(caught);
    }

    @Test
    void processesAssembledFromTheTemplatesDeployAndWaitAtTheirFirstStep() {
        BpmnModelInstance read = Bpmn.createExecutableProcess("templated-read").camundaHistoryTimeToLive(1)
                .startEvent("Requested")
                .serviceTask("RetrieveStudy")
                .serviceTask("Interpret")
                .userTask(ReadVariables.REVIEW_TASK)
                .boundaryEvent("Overdue").cancelActivity(false).timerWithDuration("${reviewDeadline.escalateAfter}")
                .serviceTask("EscalateReview").endEvent("Escalated")
                .moveToActivity(ReadVariables.REVIEW_TASK)
                .serviceTask("PublishDicom")
                .serviceTask("PublishFhir")
                .endEvent("Published")
                .done();
        BpmnModelInstance intake = Bpmn.createExecutableProcess("templated-intake").camundaHistoryTimeToLive(1)
                .startEvent("Due")
                .serviceTask(IntakeVariables.FIND_TASK)
                .endEvent("Done")
                .done();
        BpmnModelInstance retraction = Bpmn.createExecutableProcess("templated-retraction").camundaHistoryTimeToLive(1)
                .startEvent("RetractionRequested")
                .serviceTask("WithdrawDicom")
                .serviceTask("RetractFhir")
                .endEvent("Retracted")
                .done();
        BpmnModelInstance amendment = Bpmn.createExecutableProcess("templated-amendment").camundaHistoryTimeToLive(1)
                .startEvent("AmendedToNone")
                .serviceTask("WithdrawAmendedDicom")
                .endEvent("Withdrawn")
                .done();
        STEPS.forEach((id, element) -> {
            BaseElement target = read.getModelElementById(element);
            target = target != null ? target : intake.getModelElementById(element);
            target = target != null ? target : retraction.getModelElementById(element);
            target = target != null ? target : amendment.getModelElementById(element);
            TemplateBindings.apply(templates.get(id), target);
        });
        Bpmn.validateModel(read);
        Bpmn.validateModel(intake);
        Bpmn.validateModel(retraction);
        Bpmn.validateModel(amendment);

        String deployment = repository.createDeployment().name("element templates test")
                .addModelInstance("templated-read.bpmn", read).addModelInstance("templated-intake.bpmn", intake)
                .addModelInstance("templated-retraction.bpmn", retraction)
                .addModelInstance("templated-amendment.bpmn", amendment).deploy().getId();
        try {
            for (ProcessDefinition definition : repository.createProcessDefinitionQuery().deploymentId(deployment).list()) {
                // jobs of a suspended job definition are created suspended: the job executor leaves them alone
                management.suspendJobDefinitionByProcessDefinitionId(definition.getId());
            }
            BpmnModelInstance deployed = repository.getBpmnModelInstance(repository.createProcessDefinitionQuery()
                    .deploymentId(deployment).processDefinitionKey("templated-read").singleResult().getId());
            FlowNode retrieve = deployed.getModelElementById("RetrieveStudy");
            assertThat(retrieve.getAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "delegateExpression"))
                    .isEqualTo("${retrieveStudyStep}");
            assertThat(retrieve.getExtensionElements().getElementsQuery().filterByType(CamundaFailedJobRetryTimeCycle.class)
                    .singleResult().getTextContent()).isEqualTo("${stepRetries.cycle}");

            ProcessInstance readInstance = runtime.startProcessInstanceByKey("templated-read", "1.2.3.4.5",
                    Map.of(ReadVariables.READ_ID, "00000000-0000-0000-0000-000000000009",
                            ReadVariables.STUDY_INSTANCE_UID, "1.2.3.4.5"));
            ProcessInstance intakeInstance = runtime.startProcessInstanceByKey("templated-intake");
            ProcessInstance retractionInstance = runtime.startProcessInstanceByKey("templated-retraction", "1.2.3.4.5",
                    Map.of(ReadVariables.READ_ID, "00000000-0000-0000-0000-000000000009",
                            ReadVariables.STUDY_INSTANCE_UID, "1.2.3.4.5"));

            assertWaitsAt(readInstance, "RetrieveStudy");
            assertWaitsAt(intakeInstance, IntakeVariables.FIND_TASK);
            assertWaitsAt(retractionInstance, "WithdrawDicom");
            assertWaitsAt(runtime.startProcessInstanceByKey("templated-amendment", "1.2.3.4.5",
                    Map.of(ReadVariables.READ_ID, "00000000-0000-0000-0000-000000000009",
                            ReadVariables.STUDY_INSTANCE_UID, "1.2.3.4.5", ReadVariables.SIGNED_AT,
                            "2026-01-01T10:00:00Z")), "WithdrawAmendedDicom");
        } finally {
            repository.deleteDeployment(deployment, true, true, true);
        }
    }

    private void assertWaitsAt(ProcessInstance instance, String activity) {
        assertThat(runtime.getActiveActivityIds(instance.getId())).containsExactly(activity);
        Job job = management.createJobQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(job).isNotNull();
        assertThat(job.isSuspended()).isTrue();
        assertThat(management.createJobDefinitionQuery().jobDefinitionId(job.getJobDefinitionId()).singleResult()
                .getActivityId()).isEqualTo(activity);
    }

    /** Delegate expressions and external topics of the deployed models: read, intake, amendment, retraction. */
    private Set<String> modelledImplementations() {
        Set<String> found = new HashSet<>();
        for (String key : List.of(ReadVariables.PROCESS_KEY, IntakeVariables.PROCESS_KEY, ReadVariables.AMEND_PROCESS_KEY,
                ReadVariables.RETRACT_PROCESS_KEY)) {
            ProcessDefinition definition = repository.createProcessDefinitionQuery().processDefinitionKey(key)
                    .latestVersion().singleResult();
            assertThat(definition).as("deployed %s", key).isNotNull();
            for (FlowNode node : repository.getBpmnModelInstance(definition.getId()).getModelElementsByType(FlowNode.class)) {
                String delegate = node.getAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "delegateExpression");
                String topic = node.getAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "topic");
                if (delegate != null) {
                    found.add(delegate);
                }
                if (topic != null) {
                    found.add("topic:" + topic);
                }
            }
        }
        return found;
    }

    private static String beanOf(String expression) {
        Matcher m = EXPRESSION_BEAN.matcher(expression);
        assertThat(m.find()).as("an expression naming a bean: %s", expression).isTrue();
        return m.group(1);
    }

    /** The values of the String constants of the variable-name classes. */
    private static Set<String> variableNames() {
        Set<String> names = new HashSet<>();
        for (Class<?> type : List.of(ReadVariables.class, IntakeVariables.class)) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    try {
                        names.add((String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return names;
    }
}
