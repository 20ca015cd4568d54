package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Provenance of a signed report carries a detached RS256 JWS over the report, made with a key from a PKCS#12
 * key store generated here; without a key there is no signature element. The JWS is checked with the JDK alone
 * (not only with the module's own verifier), against the public key read from the store.
 */
class ReportSignatureTest {

    @TempDir
    static Path keys;
    private static Path store;
    private static Path twoKeys;
    private static SigningKey key;
    private static PublicKey publicKey;
    private static ReportMapper signing;

    @BeforeAll
    static void generateKeyStore() throws Exception {
        store = TestSigningKeys.rsa(keys, "signing");
        twoKeys = TestSigningKeys.generate(TestSigningKeys.rsa(keys, "two"), "second", "-keyalg", "RSA",
                "-keysize", "2048");
        key = TestSigningKeys.key(store);
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            loaded.load(in, TestSigningKeys.PASSWORD.toCharArray());
        }
        publicKey = loaded.getCertificate(TestSigningKeys.ALIAS).getPublicKey();
        signing = Fixtures.mapper().withSigningKey(key);
    }

    @Test
    void signedReportCarriesADetachedJwsOverTheReportThatTheJdkVerifies() throws Exception {
        BundleEntries entries = new BundleEntries(signing.toBundle(Fixtures.request()));
        DiagnosticReport report = entries.one(DiagnosticReport.class);
        org.hl7.fhir.r4.model.Signature signature = entries.one(Provenance.class).getSignatureFirstRep();

        String jws = new String(signature.getData(), StandardCharsets.US_ASCII);
        String[] parts = jws.split("\\.", -1);

        assertThat(signature.getSigFormat()).isEqualTo("application/jose");
        assertThat(signature.getTargetFormat()).isEqualTo("application/fhir+json");
        assertThat(signature.getTypeFirstRep().getCode()).isEqualTo("1.2.840.10065.1.12.1.5");
        assertThat(signature.getWhen()).isEqualTo(java.util.Date.from(Fixtures.SIGNED_AT));
        assertThat(entries.resolve(signature.getWho()).fhirType()).isEqualTo("Organization");
        assertThat(parts).hasSize(3);
        assertThat(parts[1]).as("detached payload").isEmpty();
        JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("x5c").get(0).asText())
                .isEqualTo(Base64.getEncoder().encodeToString(key.certificates().get(0).getEncoded()));
        assertThat(jdkVerifies(parts, ReportSignature.signedContent(report))).isTrue();
        assertThat(ReportSignature.verify(signature, report, publicKey)).isTrue();
        assertThat(ReportSignature.certificates(signature)).extracting(X509Certificate::getPublicKey)
                .containsExactly(publicKey);
    }

    @Test
    void signedContentIsTheReportsCompactJsonWithoutIdAndMeta() {
        DiagnosticReport report = new BundleEntries(signing.toBundle(Fixtures.request())).one(DiagnosticReport.class);
        DiagnosticReport stored = report.copy();
        stored.setId("DiagnosticReport/77/_history/3");
        stored.getMeta().setVersionId("3");

        String content = new String(ReportSignature.signedContent(report), StandardCharsets.UTF_8);

        assertThat(content).startsWith("{\"resourceType\":\"DiagnosticReport\",\"text\":").doesNotContain("\n");
        assertThat(ReportSignature.signedContent(stored)).isEqualTo(ReportSignature.signedContent(report));
    }

    @Test
    void verificationFailsWhenOneCharacterOfTheSignedContentChanges() {
        Bundle bundle = signing.toBundle(Fixtures.request());
        DiagnosticReport report = new BundleEntries(bundle).one(DiagnosticReport.class);
        String jws = new String(new BundleEntries(bundle).one(Provenance.class).getSignatureFirstRep().getData(),
                StandardCharsets.US_ASCII);
        byte[] content = ReportSignature.signedContent(report);
        byte[] changed = content.clone();
        int at = new String(content, StandardCharsets.UTF_8).indexOf(Fixtures.IMPRESSION);
        changed[at] = (byte) (changed[at] + 1); // "R" becomes "S" in the conclusion

        assertThat(DetachedJws.verify(jws, content, publicKey)).isTrue();
        assertThat(DetachedJws.verify(jws, changed, publicKey)).isFalse();
        assertThat(jdkVerifies(jws.split("\\.", -1), changed)).isFalse();
        report.setConclusion(Fixtures.IMPRESSION.replace('3', '6'));
        assertThat(ReportSignature.verify(new BundleEntries(bundle).one(Provenance.class).getSignatureFirstRep(),
                report, publicKey)).isFalse();
    }

    @Test
    void anotherKeyOrAnotherAlgorithmDoesNotVerify() {
        SigningKey other = SigningKey.pkcs12(twoKeys, TestSigningKeys.PASSWORD, "second");
        byte[] content = "{\"resourceType\":\"DiagnosticReport\"}".getBytes(StandardCharsets.UTF_8);
        String jws = DetachedJws.sign(content, key);
        String[] parts = jws.split("\\.", -1);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
                StandardCharsets.US_ASCII));

        assertThat(DetachedJws.verify(jws, content, other.publicKey())).isFalse();
        assertThat(DetachedJws.verify(none + ".." + parts[2], content, publicKey)).isFalse();
        assertThat(DetachedJws.verify(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(content)
                + "." + parts[2], content, publicKey)).as("attached payload").isFalse();
        assertThat(DetachedJws.verify("not a jws", content, publicKey)).isFalse();
    }

    @Test
    void signedBundleSurvivesJsonAndIsTheSameEachTimeItIsMapped() {
        FhirContext fhir = FhirContext.forR4Cached();
        String json = signing.toJson(Fixtures.request());

        BundleEntries parsed = new BundleEntries(fhir.newJsonParser().parseResource(Bundle.class, json));

        assertThat(signing.toJson(Fixtures.request())).isEqualTo(json);
        assertThat(ReportSignature.verify(parsed.one(Provenance.class).getSignatureFirstRep(),
                parsed.one(DiagnosticReport.class), publicKey)).isTrue();
    }

    @Test
    void withoutAKeyOrASignOffThereIsNoSignatureElement() {
        assertThat(new BundleEntries(Fixtures.mapper().toBundle(Fixtures.request())).one(Provenance.class)
                .getSignature()).isEmpty();
        assertThat(new BundleEntries(signing.toBundle(Fixtures.requestDraft(Fixtures.READ_ID))).one(Provenance.class)
                .getSignature()).isEmpty();
        assertThat(new BundleEntries(signing.toBundle(Fixtures.requestRetracted(Fixtures.READ_ID)))
                .one(Provenance.class).getSignature()).isEmpty();
    }

    @Test
    void amendmentIsSignedToo() {
        BundleEntries amended = new BundleEntries(signing.toBundle(Fixtures.requestAmended(Fixtures.READ_ID)));

        assertThat(ReportSignature.verify(amended.one(Provenance.class).getSignatureFirstRep(),
                amended.one(DiagnosticReport.class), publicKey)).isTrue();
    }

    @Test
    void keyStoreErrorsNameTheStoreAndTheRuleButNeverThePassword() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);

        assertThatThrownBy(() -> SigningKey.pkcs12(store, "wrong", TestSigningKeys.ALIAS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key store " + store + " (PKCS12) cannot be read with the configured password")
                .message().doesNotContain(TestSigningKeys.PASSWORD).doesNotContain("wrong");
        assertThatThrownBy(() -> SigningKey.pkcs12(store, TestSigningKeys.PASSWORD, "nobody"))
                .hasMessage("key store " + store + " has no private key under alias 'nobody'");
        assertThatThrownBy(() -> new SigningKey(ec.generateKeyPair().getPrivate(), key.certificates()))
                .hasMessage("privateKey must be an RSA key (signatures are RS256), got EC");
        assertThatThrownBy(() -> new SigningKey(rsa.generateKeyPair().getPrivate(), key.certificates()))
                .hasMessage("privateKey must have at least 2048 bits, got 1024");
        assertThatThrownBy(() -> new SigningKey(SigningKey.pkcs12(twoKeys, TestSigningKeys.PASSWORD, "second")
                .privateKey(), key.certificates()))
                .hasMessage("certificates must start with the certificate of privateKey, got one for "
                        + "CN=Groundflow test signing");
        assertThatThrownBy(() -> SigningKey.pkcs12(twoKeys, TestSigningKeys.PASSWORD, " "))
                .hasMessage("key store " + twoKeys + " must hold exactly one private key when no alias is configured, "
                        + "got 2 [report-signing, second]");
        assertThat(SigningKey.pkcs12(store, TestSigningKeys.PASSWORD, null).publicKey()).isEqualTo(publicKey);
        assertThat(key.toString()).isEqualTo("SigningKey[subject=CN=Groundflow test signing]");
    }

    private static boolean jdkVerifies(String[] parts, byte[] payload) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update((parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload))
                    .getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
