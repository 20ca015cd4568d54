package org.groundflow.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers a FHIR transaction as a server would: one "201 Created" entry per request entry, in order. */
final class FhirTransactionResponder implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fhir-transaction";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        try {
            JsonNode request = JSON.readTree(serveEvent.getRequest().getBodyAsString());
            ObjectNode response = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction-response");
            ArrayNode entries = response.putArray("entry");
            for (JsonNode entry : request.path("entry")) {
                String type = entry.path("resource").path("resourceType").asText();
                ObjectNode answer = entries.addObject().putObject("response");
                answer.put("status", "201 Created");
                answer.put("location", type + "/" + ids.incrementAndGet() + "/_history/1");
                answer.put("etag", "W/\"1\"");
            }
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json;charset=UTF-8")
                    .withBody(JSON.writeValueAsString(response)).build();
        } catch (IOException e) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(400).withBody(e.getMessage()).build();
        }
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
