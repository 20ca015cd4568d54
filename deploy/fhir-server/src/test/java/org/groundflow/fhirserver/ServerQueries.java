package org.groundflow.fhirserver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/** What the tests ask the FHIR server directly, to see what a publication left there. */
record ServerQueries(IGenericClient client) {

    static ServerQueries of(SandboxServer server) {
        FhirContext context = FhirContext.forR4();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return new ServerQueries(context.newRestfulGenericClient(server.baseUrl()));
    }

    /** The reports with a read's identifier: one, if publication is idempotent. */
    List<DiagnosticReport> reports(String read) {
        return search("DiagnosticReport?identifier=urn:groundflow:read|" + read, DiagnosticReport.class);
    }

    /** The Observations of the fixtures' findings 1 and 3 (the ones ever kept) of a read. */
    List<Observation> observations(String read) {
        return search("Observation?identifier=urn:groundflow:finding|" + read + "/1,urn:groundflow:finding|" + read
                + "/3", Observation.class);
    }

    <T extends Resource> List<T> search(String query, Class<T> type) {
        Bundle found = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
    }

    /** How many resources a search matches ({@code _summary=count}). */
    int total(String query) {
        return client.search().byUrl(query + (query.contains("?") ? "&" : "?") + "_summary=count")
                .returnBundle(Bundle.class).execute().getTotal();
    }

    <T extends Resource> T read(Class<T> type, String reference) {
        return client.read().resource(type).withUrl(reference).execute();
    }
}
