package org.groundflow.workflow.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.DicomWebEndpoint;
import org.groundflow.dicomweb.client.ServerProfile;
import org.groundflow.dicomweb.transport.TrustStore;
import org.groundflow.fhir.client.EhrLookup;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.mapping.PatientIdentifierSystems;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportValidator;
import org.groundflow.fhir.mapping.SigningKey;
import org.groundflow.fhir.client.SmartBackendServices;
import org.groundflow.inference.GroundedInterpreter;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.remote.RemoteEndpoint;
import org.groundflow.inference.remote.RemoteInterpreter;
import org.groundflow.inference.ModelPackage;
import org.groundflow.inference.SegmentationModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The domain services of Groundflow's modules, built from {@link GroundflowProperties}. */
@Configuration(proxyBeanMethods = false)
public class GroundflowConfiguration {

    @Bean(destroyMethod = "close")
    public DicomWebClient pacs(GroundflowProperties properties) {
        GroundflowProperties.Pacs pacs = properties.pacs();
        DicomWebEndpoint endpoint = DicomWebEndpoint.of(pacs.url())
                .withProfile(ServerProfile.named(pacs.profile()))
                .withConnectTimeout(pacs.connectTimeout())
                .withReadTimeout(pacs.readTimeout());
        if (pacs.trustStore() != null) {
            endpoint = endpoint.withTrustStore(trustStore(pacs.trustStore(), pacs.trustStorePassword()));
        }
        if (pacs.token() != null && !pacs.token().isBlank()) {
            endpoint = endpoint.withBearerToken(pacs.token());
        } else if (pacs.oauth2TokenUrl() != null && !pacs.oauth2TokenUrl().isBlank()) {
            endpoint = endpoint.withOAuth2ClientCredentials(pacs.oauth2TokenUrl(), pacs.username(), pacs.password());
        } else if (pacs.username() != null && !pacs.username().isBlank()) {
            endpoint = endpoint.withBasicAuth(pacs.username(), pacs.password() == null ? "" : pacs.password());
        }
        return new DicomWebClient(endpoint);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${groundflow.model.remote-url:}'.isBlank()")
    public SegmentationModel segmentationModel(GroundflowProperties properties) {
        ModelPackage modelPackage = properties.model().bundled()
                ? ModelPackage.bundledDemo()
                : ModelPackage.load(Path.of(properties.model().location()));
        return SegmentationModel.open(modelPackage);
    }

    /**
     * The model in-process (DJL), or a remote model server when {@code groundflow.model.remote-url} is set: with its
     * bearer token, or without one only when {@code groundflow.model.remote-insecure=true} and the URL is loopback.
     */
    @Bean
    public Interpreter interpreter(GroundflowProperties properties, ObjectProvider<SegmentationModel> model) {
        GroundflowProperties.Model settings = properties.model();
        if (!settings.remote()) {
            return new GroundedInterpreter(model.getObject());
        }
        boolean token = settings.remoteToken() != null && !settings.remoteToken().isBlank();
        new ServiceAccess("groundflow.model.remote-url", settings.remoteUrl(), "groundflow.model.remote-token", token,
                "groundflow.model.remote-insecure", settings.remoteInsecure()).check();
        RemoteEndpoint endpoint = RemoteEndpoint.of(settings.remoteUrl())
                .withConnectTimeout(settings.remoteConnectTimeout()).withReadTimeout(settings.remoteReadTimeout());
        if (token) {
            endpoint = endpoint.withBearerToken(settings.remoteToken());
        }
        if (settings.remotePrompt() != null && !settings.remotePrompt().isBlank()) {
            endpoint = endpoint.withPrompt(settings.remotePrompt());
        }
        return RemoteInterpreter.connect(endpoint);
    }

    @Bean
    public ReportMapper reportMapper(GroundflowProperties properties) {
        GroundflowProperties.FhirPatient patient = properties.fhir().patient();
        ReportMapper mapper = new ReportMapper(new PatientIdentifierSystems(patient.identifierSystem(),
                patient.issuerSystems() == null ? Map.of() : patient.issuerSystems()));
        GroundflowProperties.FhirSigning signing = properties.fhir().signing();
        if (signing.keyStore() == null) {
            return mapper;
        }
        return mapper.withSigningKey(SigningKey.pkcs12(signing.keyStore(),
                signing.keyStorePassword() == null ? "" : signing.keyStorePassword(), signing.keyAlias()));
    }

    /** Built on first publication: the validator loads the R4 profiles once (seconds), then takes ~0.1 s a bundle. */
    @Lazy
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${groundflow.fhir.base-url:}'.isBlank()")
    public FhirPublisher fhirPublisher(GroundflowProperties properties, ReportMapper mapper) throws IOException {
        GroundflowProperties.Fhir fhir = properties.fhir();
        FhirEndpoint endpoint = FhirEndpoint.of(fhir.baseUrl()).withTimeouts(fhir.connectTimeout(), fhir.readTimeout());
        if (fhir.trustStore() != null) {
            endpoint = endpoint.withTrustStore(trustStore(fhir.trustStore(), fhir.trustStorePassword()));
        }
        if (fhir.token() != null && !fhir.token().isBlank()) {
            endpoint = endpoint.withBearerToken(fhir.token());
        } else if (fhir.smartTokenUrl() != null && !fhir.smartTokenUrl().isBlank()) {
            endpoint = endpoint.withSmartBackendServices(new SmartBackendServices(fhir.smartTokenUrl(), fhir.smartClientId(),
                    SmartBackendServices.readPkcs8Pem(fhir.smartKey()), fhir.smartKeyId(), fhir.smartScope()));
        }
        EhrLookup lookup = EhrLookup.none().withPatientPolicy(fhir.patient().policy())
                .withAccessionSystem(fhir.order().accessionSystem());
        return new FhirPublisher(endpoint, mapper, fhir.validate() ? ReportValidator.create() : null, lookup);
    }

    /** A trust store setting; a missing password is an empty one (a store of certificates only). */
    private static TrustStore trustStore(Path file, String password) {
        return TrustStore.of(file, password == null ? "" : password);
    }
}
