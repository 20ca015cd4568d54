package org.groundflow.workflow.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.groundflow.fhir.client.PatientPolicy;
import org.groundflow.fhir.mapping.ReportMapper;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Groundflow's configuration ({@code groundflow.*}). Secrets (passwords, tokens) come from the environment or an
 * external configuration file, never from the repository.
 *
 * @param workDir   this node's own folder: the cache of retrieved series, the embedded H2 database, FHIR bundles in
 *                  file-only mode; never shared between nodes (a read's state is in the database)
 * @param pacs      the PACS's DICOMweb endpoint
 * @param fhir      the EHR's FHIR endpoint; without a base URL, bundles are written to {@code workDir/fhir}
 * @param model     the model package; without a location the bundled demo model is used
 * @param retries   retry cycle of every service step (ISO 8601 repeating interval, e.g. R3/PT30S, or a list of pauses,
 *                  e.g. PT5S,PT10S,PT20S); empty: made from {@code outageTolerance}
 * @param organization name of the organisation that performs the reads (FHIR performer, DICOM manufacturer)
 * @param viewer    the web viewer (OHIF) that the review UI links to
 * @param review    due date and escalation of the radiologist's review task
 * @param worker    who works the interpretation external tasks
 * @param retention how long what Groundflow keeps of a read's pixels and masks outlives the read
 * @param nodeId    this node's stable name among the nodes sharing a database, the owner of the jobs and
 *                  interpretation tasks it locks; empty: host name and web server port ({@code host:8080}). No two
 *                  running nodes may share it: at start-up a node frees what its name still holds (its previous run
 *                  died holding it)
 * @param outageTolerance how long the PACS or the FHIR server may be unreachable before a step shows an incident:
 *                  the retry pauses add up to it (unless {@code retries} is set)
 */
@ConfigurationProperties("groundflow")
public record GroundflowProperties(
        @DefaultValue("./work") Path workDir,
        @DefaultValue Pacs pacs,
        @DefaultValue Fhir fhir,
        @DefaultValue Model model,
        String retries,
        @DefaultValue("Groundflow") String organization,
        @DefaultValue Viewer viewer,
        @DefaultValue Review review,
        @DefaultValue Worker worker,
        @DefaultValue Retention retention,
        String nodeId,
        @DefaultValue("PT15M") Duration outageTolerance) {

    /**
     * @param profile     the server's kind: {@code orthanc}, {@code dcm4chee-arc} or {@code generic} (what it supports)
     * @param oauth2TokenUrl OAuth2 client-credentials token endpoint; with {@code username}/{@code password} as client
     *                    id and secret
     * @param trustStore  a PKCS#12 trust store for the PACS's TLS certificate, with {@code trustStorePassword}
     */
    public record Pacs(
            @DefaultValue("http://127.0.0.1:8042/dicom-web") String url,
            @DefaultValue("orthanc") String profile,
            String username,
            String password,
            String token,
            String oauth2TokenUrl,
            Path trustStore,
            String trustStorePassword,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout) {
    }

    /**
     * @param token          static bearer token; or SMART Backend Services: {@code smartTokenUrl},
     *                       {@code smartClientId}, {@code smartKey} (PKCS#8 PEM file of the signing key),
     *                       {@code smartKeyId} and {@code smartScope}
     * @param validate       validate every bundle against base R4 before sending (the validator loads once, ~5 s)
     * @param patient        how a report finds the EHR's patient
     * @param order          how a report finds the EHR's order
     * @param signing        the key that signs reports; without a key store, reports carry no signature
     */
    public record Fhir(
            String baseUrl,
            String token,
            String smartTokenUrl,
            String smartClientId,
            Path smartKey,
            String smartKeyId,
            @DefaultValue("system/*.write") String smartScope,
            Path trustStore,
            String trustStorePassword,
            @DefaultValue("true") boolean validate,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout,
            @DefaultValue FhirPatient patient,
            @DefaultValue FhirOrder order,
            @DefaultValue FhirSigning signing) {

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }
    }

    /**
     * @param identifierSystem the identifier system of DICOM Patient IDs (the EHR's MRN system) for studies whose
     *                         Issuer of Patient ID is not in {@code issuerSystems}
     * @param issuerSystems    the identifier system per Issuer of Patient ID (0010,0021)
     * @param policy           {@code create-if-absent}, or {@code must-exist}: the EHR must hold the patient
     */
    public record FhirPatient(
            @DefaultValue(ReportMapper.DEFAULT_PATIENT_ID_SYSTEM) String identifierSystem,
            Map<String, String> issuerSystems,
            @DefaultValue("create-if-absent") PatientPolicy policy) {
    }

    /** @param accessionSystem identifier system of accession numbers on the EHR's ServiceRequests; empty: no search */
    public record FhirOrder(String accessionSystem) {
    }

    /**
     * @param keyStore         PKCS#12 key store with the RSA key that signs reports; empty: no signature
     * @param keyStorePassword its password (from the environment, never from the repository)
     * @param keyAlias         the key's alias; empty when the store holds one key
     */
    public record FhirSigning(Path keyStore, String keyStorePassword, String keyAlias) {
    }

    /**
     * @param url link to open a study in the viewer; {@code {studyInstanceUid}} is replaced by the study's UID
     */
    public record Viewer(
            @DefaultValue("http://127.0.0.1:3000/viewer?StudyInstanceUIDs={studyInstanceUid}") String url) {
    }

    /**
     * @param due             time from the task's creation to its due date
     * @param escalateAfter   time after which an open review is escalated
     * @param escalation      {@code notify}: raise the task's priority and comment on it; {@code reassign}: also offer it
     *                        to {@code escalationGroup}
     * @param escalationGroup the group a reassigned review is offered to
     */
    public record Review(
            @DefaultValue("PT24H") Duration due,
            @DefaultValue("PT24H") Duration escalateAfter,
            @DefaultValue("notify") Escalation escalation,
            @DefaultValue("seniorradiologists") String escalationGroup) {
    }

    public enum Escalation { NOTIFY, REASSIGN }

    /**
     * @param inProcess     whether this application works the interpretation tasks itself (else separate workers do,
     *                      started with the {@code worker} profile)
     * @param engineRestUrl the engine's REST API, for a worker process (e.g. http://engine:8080/engine-rest)
     * @param username      the worker's service account (member of workers)
     * @param password      its password (from the environment or a secrets file, never from the repository or the
     *                      command line)
     * @param insecure      call the engine without credentials: allowed for a loopback engine URL only
     * @param lockDuration  how long a worker holds an interpretation task before another may take it
     * @param maxIdleWait   longest pause between polls when there is no work
     */
    public record Worker(
            @DefaultValue("true") boolean inProcess,
            String engineRestUrl,
            String username,
            String password,
            @DefaultValue("false") boolean insecure,
            @DefaultValue("PT10M") Duration lockDuration,
            @DefaultValue("PT2S") Duration maxIdleWait) {

        /** Whether the worker has a service account to call the engine with (user name and password). */
        public boolean credentials() {
            return username != null && !username.isBlank() && password != null && !password.isEmpty();
        }
    }

    /**
     * @param location    folder of a model package run in-process; empty: the bundled demo model
     * @param remoteUrl   a model server speaking inference/remote/CONTRACT.md (e.g. one serving UniBiomed on a GPU
     *                    host); when set, the model runs there instead of in-process
     * @param remoteToken bearer token for the model server (required unless {@code remoteInsecure})
     * @param remoteInsecure call the model server without a token: allowed for a loopback URL only
     * @param remotePrompt task prompt sent with each series
     * @param remoteReadTimeout keep below {@code groundflow.worker.lock-duration}
     */
    public record Model(
            String location,
            String remoteUrl,
            String remoteToken,
            @DefaultValue("false") boolean remoteInsecure,
            String remotePrompt,
            @DefaultValue("PT10S") Duration remoteConnectTimeout,
            @DefaultValue("PT9M") Duration remoteReadTimeout) {

        public boolean bundled() {
            return location == null || location.isBlank();
        }

        public boolean remote() {
            return remoteUrl != null && !remoteUrl.isBlank();
        }
    }

    /**
     * @param afterEnd   time after a read's end (published, nothing to read or cancelled) when its masks, its series'
     *                   geometry and patient attributes and every node's cached series of it are deleted; the
     *                   sign-off, its audit trail and the revision ledger stay
     * @param sweepEvery how often each node looks for reads past their retention
     */
    public record Retention(
            @DefaultValue("P7D") Duration afterEnd,
            @DefaultValue("PT1H") Duration sweepEvery) {

        public Retention {
            if (afterEnd == null || afterEnd.isNegative() || sweepEvery == null || sweepEvery.isNegative()
                    || sweepEvery.isZero()) {
                throw new IllegalArgumentException("groundflow.retention: after-end must not be negative and sweep-every"
                        + " must be positive, got after-end " + afterEnd + ", sweep-every " + sweepEvery);
            }
        }
    }
}
