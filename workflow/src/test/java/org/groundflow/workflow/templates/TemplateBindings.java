package org.groundflow.workflow.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.impl.BpmnModelConstants;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOutputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * Applies an element template to a BPMN element the way Camunda Modeler does: each property's value goes where its
 * binding says. Also writes the retry time cycle that templates carry in {@code metadata.groundflow} (Camunda 7
 * templates have no binding for {@code camunda:failedJobRetryTimeCycle}).
 */
final class TemplateBindings {

    private static final String CAMUNDA_PREFIX = "camunda:";

    private TemplateBindings() {
    }

    static void apply(JsonNode template, BaseElement element) {
        element.setAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "modelerTemplate", template.path("id").asText());
        element.setAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, "modelerTemplateVersion", template.path("version").asText());
        for (JsonNode property : template.path("properties")) {
            bind(element, property.path("binding"), property.path("value").asText());
        }
        JsonNode retries = template.path("metadata").path("groundflow").path("failedJobRetryTimeCycle");
        if (retries.isTextual()) {
            CamundaFailedJobRetryTimeCycle cycle = extension(element, CamundaFailedJobRetryTimeCycle.class);
            cycle.setTextContent(retries.asText());
        }
    }

    private static void bind(BaseElement element, JsonNode binding, String value) {
        String type = binding.path("type").asText();
        String name = binding.path("name").asText();
        BpmnModelInstance model = (BpmnModelInstance) element.getModelInstance();
        switch (type) {
            case "property" -> {
                if (name.startsWith(CAMUNDA_PREFIX)) {
                    element.setAttributeValueNs(BpmnModelConstants.CAMUNDA_NS, name.substring(CAMUNDA_PREFIX.length()), value);
                } else {
                    element.setAttributeValue(name, value);
                }
            }
            case "camunda:inputParameter" -> {
                CamundaInputParameter input = model.newInstance(CamundaInputParameter.class);
                input.setCamundaName(name);
                input.setTextContent(value);
                existingOrNew(element, CamundaInputOutput.class).addChildElement(input);
            }
            case "camunda:outputParameter" -> {
                CamundaOutputParameter output = model.newInstance(CamundaOutputParameter.class);
                output.setCamundaName(value);
                output.setTextContent(binding.path("source").asText());
                existingOrNew(element, CamundaInputOutput.class).addChildElement(output);
            }
            case "camunda:property" -> {
                CamundaProperty property = model.newInstance(CamundaProperty.class);
                property.setCamundaName(name);
                property.setCamundaValue(value);
                existingOrNew(element, CamundaProperties.class).addChildElement(property);
            }
            case "camunda:executionListener" -> {
                CamundaExecutionListener listener = model.newInstance(CamundaExecutionListener.class);
                listener.setCamundaEvent(binding.path("event").asText());
                listener.setCamundaDelegateExpression(value);
                extensions(element).addChildElement(listener);
            }
            default -> throw new IllegalArgumentException("binding type " + type + " is not applied by this test");
        }
    }

    private static <T extends ModelElementInstance> T existingOrNew(BaseElement element, Class<T> type) {
        ExtensionElements extensions = extensions(element);
        return extensions.getElementsQuery().filterByType(type).list().stream().findFirst()
                .orElseGet(() -> extensions.addExtensionElement(type));
    }

    private static <T extends ModelElementInstance> T extension(BaseElement element, Class<T> type) {
        return extensions(element).addExtensionElement(type);
    }

    private static ExtensionElements extensions(BaseElement element) {
        if (element.getExtensionElements() == null) {
            element.setExtensionElements(element.getModelInstance().newInstance(ExtensionElements.class));
        }
        return element.getExtensionElements();
    }
}
