package org.groundflow.fhir.client;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.groundflow.fhir.mapping.EhrReferences;
import org.groundflow.fhir.mapping.PatientIdentifier;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds in the EHR the records a read's bundle refers to, as an {@link EhrLookup} asks, before the bundle is built:
 * {@code GET Patient?identifier=system|value} and
 * {@code GET ServiceRequest?identifier=accessionSystem|accession&_include=ServiceRequest:subject}. An order is used
 * only if it is the one order with that accession number and its subject is the read's patient (the found one, or one
 * carrying the patient's identifier); otherwise the report names the order by accession number alone. Each search is
 * made once; a failed search is a {@link FhirPublicationException} like a failed transaction.
 */
final class EhrSearch {

    private static final Logger LOG = LoggerFactory.getLogger(EhrSearch.class);

    private final IGenericClient client;
    private final Supplier<String> bearerToken;
    private final String baseUrl;

    /** @param bearerToken the token to send with each search, or null for none */
    EhrSearch(IGenericClient client, Supplier<String> bearerToken, String baseUrl) {
        this.client = client;
        this.bearerToken = bearerToken;
        this.baseUrl = baseUrl;
    }

    /**
     * @throws FhirPatientNotFoundException the patient must exist and the EHR holds none, or more than one, with its
     *                                      identifier
     */
    EhrReferences references(PublicationRequest request, PatientIdentifier patient, EhrLookup lookup) {
        EhrReferences found = EhrReferences.none();
        if (lookup.patientPolicy() == PatientPolicy.MUST_EXIST) {
            List<Patient> patients = matches(search(request, "Patient", client.search().forResource(Patient.class)
                    .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(patient.system(), patient.value()))
                    .elementsSubset("identifier")), Patient.class);
            if (patients.size() != 1) {
                throw new FhirPatientNotFoundException(request.studyInstanceUid(), patient.system(), patients.size());
            }
            found = found.withPatientId(patients.get(0).getIdElement().getIdPart());
        }
        String accession = request.study().accessionNumber() == null ? "" : request.study().accessionNumber().trim();
        if (lookup.accessionSystem() != null && !accession.isEmpty()) {
            Optional<String> order = order(request, lookup.accessionSystem(), accession, patient, found.patientId());
            if (order.isPresent()) {
                found = found.withServiceRequestId(order.get());
            }
        }
        return found;
    }

    private Optional<String> order(PublicationRequest request, String system, String accession,
                                   PatientIdentifier patient, String patientId) {
        Bundle result = search(request, "ServiceRequest", client.search().forResource(ServiceRequest.class)
                .where(ServiceRequest.IDENTIFIER.exactly().systemAndIdentifier(system, accession))
                .include(ServiceRequest.INCLUDE_SUBJECT));
        List<ServiceRequest> orders = matches(result, ServiceRequest.class);
        if (orders.size() != 1) {
            LOG.info("Study {} (read {}): the EHR holds {} orders with the study's accession number in {}; the report "
                    + "names the order by accession number", request.studyInstanceUid(), request.readId(),
                    orders.isEmpty() ? "no" : "several", system);
            return Optional.empty();
        }
        IIdType subject = orders.get(0).getSubject().getReferenceElement();
        boolean samePatient = "Patient".equals(subject.getResourceType()) && subject.hasIdPart()
                && (patientId != null ? patientId.equals(subject.getIdPart())
                : carriesIdentifier(result, subject.getIdPart(), patient));
        if (!samePatient) {
            LOG.warn("Study {} (read {}): the EHR's order with the study's accession number is not for the study's "
                    + "patient; the report names the order by accession number", request.studyInstanceUid(),
                    request.readId());
            return Optional.empty();
        }
        return Optional.of(orders.get(0).getIdElement().getIdPart());
    }

    /** Whether the search result includes the Patient with this id, carrying the read's patient identifier. */
    private static boolean carriesIdentifier(Bundle result, String id, PatientIdentifier patient) {
        return result.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).map(Patient.class::cast)
                .filter(p -> id.equals(p.getIdElement().getIdPart()))
                .flatMap(p -> p.getIdentifier().stream())
                .anyMatch(i -> patient.system().equals(i.getSystem()) && patient.value().equals(i.getValue()));
    }

    /** The resources of the type searched for (not those included), at most two: enough to tell one from many. */
    private static <T> List<T> matches(Bundle result, Class<T> type) {
        return result.getEntry().stream()
                .filter(e -> !e.getSearch().hasMode() || e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
    }

    private Bundle search(PublicationRequest request, String type, IQuery<?> query) {
        IQuery<Bundle> bundleQuery = query.count(2).returnBundle(Bundle.class);
        String token = bearerToken == null ? null : bearerToken.get();
        if (token != null) {
            bundleQuery = bundleQuery.withAdditionalHeader("Authorization", "Bearer " + token);
        }
        try {
            return bundleQuery.execute();
        } catch (RuntimeException e) {
            throw PublicationFailures.translate(e, "the " + type + " search of study " + request.studyInstanceUid()
                    + " (read " + request.readId() + ") at FHIR server " + baseUrl);
        }
    }
}
