package org.groundflow.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.fhir.client.PatientPolicy;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.TestSigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The FHIR patient, order and signing settings as Spring binds them from properties, and the mapper built from them
 * (no application context: the binder and the configuration method alone).
 */
class FhirSettingsTest {

    private static final String MRN_A = "urn:oid:1.2.826.0.1.3680043.8.498.101";
    private static final String MRN_OID_ISSUER = "https://ehr.example/fhir/sid/mrn-b";

    @Test
    void defaultsKeepTodaysBehaviour() {
        GroundflowProperties.Fhir fhir = bind(Map.of()).fhir();

        assertThat(fhir.patient().identifierSystem()).isEqualTo("urn:groundflow:dicom-patient-id");
        assertThat(fhir.patient().policy()).isEqualTo(PatientPolicy.CREATE_IF_ABSENT);
        assertThat(fhir.order().accessionSystem()).isNull();
        assertThat(fhir.signing().keyStore()).isNull();
        assertThat(new GroundflowConfiguration().reportMapper(bind(Map.of())).toJson(Fixtures.request()))
                .contains("urn:groundflow:dicom-patient-id").doesNotContain("application/jose");
    }

    @Test
    void issuerSystemsAndPolicyBindAndChooseThePatientsSystem() {
        GroundflowProperties properties = bind(Map.of(
                "groundflow.fhir.patient.identifier-system", Fixtures.PATIENT_SYSTEM,
                "groundflow.fhir.patient.issuer-systems.HOSPITAL-A", MRN_A,
                "groundflow.fhir.patient.issuer-systems[1.2.840.99]", MRN_OID_ISSUER,
                "groundflow.fhir.patient.policy", "must-exist",
                "groundflow.fhir.order.accession-system", "urn:oid:1.2.826.0.1.3680043.8.498.77"));

        var mapper = new GroundflowConfiguration().reportMapper(properties);

        assertThat(properties.fhir().patient().policy()).isEqualTo(PatientPolicy.MUST_EXIST);
        assertThat(properties.fhir().order().accessionSystem()).isEqualTo("urn:oid:1.2.826.0.1.3680043.8.498.77");
        assertThat(mapper.patientIdentifier(request("HOSPITAL-A")).system()).isEqualTo(MRN_A);
        assertThat(mapper.patientIdentifier(request("1.2.840.99")).system()).isEqualTo(MRN_OID_ISSUER);
        assertThat(mapper.patientIdentifier(request("OTHER")).system()).isEqualTo(Fixtures.PATIENT_SYSTEM);
    }

    @Test
    void aConfiguredKeyStoreSignsReportsAndABadOneStopsTheStart(@TempDir Path dir) {
        Path store = TestSigningKeys.rsa(dir, "signing");
        Map<String, Object> settings = new HashMap<>(Map.of(
                "groundflow.fhir.signing.key-store", store.toString(),
                "groundflow.fhir.signing.key-store-password", TestSigningKeys.PASSWORD,
                "groundflow.fhir.signing.key-alias", TestSigningKeys.ALIAS));

        String signed = new GroundflowConfiguration().reportMapper(bind(settings)).toJson(Fixtures.request());
        settings.put("groundflow.fhir.signing.key-store-password", "not-it");

        assertThat(signed).contains("\"sigFormat\": \"application/jose\"");
        assertThatThrownBy(() -> new GroundflowConfiguration().reportMapper(bind(settings)))
                .hasMessageStartingWith("key store " + store + " (PKCS12) cannot be read with the configured password");
    }

    private static PublicationRequest request(String issuer) {
        StudyContext s = Fixtures.study();
        return Fixtures.request(new StudyContext(s.patientName(), s.patientId(), s.patientBirthDate(), s.patientSex(),
                s.studyDate(), s.studyTime(), s.studyId(), s.accessionNumber(), s.referringPhysicianName(),
                s.studyDescription(), issuer));
    }

    private static GroundflowProperties bind(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return Binder.get(environment).bindOrCreate("groundflow", GroundflowProperties.class);
    }
}
