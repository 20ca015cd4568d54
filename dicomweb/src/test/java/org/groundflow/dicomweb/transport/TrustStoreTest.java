package org.groundflow.dicomweb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.groundflow.dicomweb.testing.Keytool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a trust store: PKCS12 and JKS told apart by content, and every way it can be unusable named. */
class TrustStoreTest {

    private static final String PASSWORD = "trust-pw";

    @TempDir
    static Path dir;
    private static Certificate certificate;

    @BeforeAll
    static void aCertificateFromKeytool() throws Exception {
        Path keys = dir.resolve("server.p12");
        Keytool.run("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "server-pw",
                "-keypass", "server-pw");
        certificate = KeyStore.getInstance(keys.toFile(), "server-pw".toCharArray()).getCertificate("server");
    }

    @Test
    void pkcs12AndJksStoresGiveAContextThatTrustsTheirCertificates() throws Exception {
        for (String type : List.of("PKCS12", "JKS")) {
            Path file = store(type, "trust." + type.toLowerCase(), certificate);

            SSLContext context = TrustStore.of(file, PASSWORD).sslContext();

            assertThat(context.getProtocol()).as(type).isEqualTo("TLS");
        }
    }

    @Test
    void aWrongPasswordOrAFileThatIsNoKeyStoreIsNamed() throws Exception {
        Path file = store("PKCS12", "wrong-password.p12", certificate);
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a key store");

        assertThatThrownBy(() -> TrustStore.of(file, "wrong").sslContext())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trust store " + file + " cannot be loaded (wrong password or not a PKCS12/JKS key store)");
        assertThatThrownBy(() -> TrustStore.of(notes, PASSWORD).sslContext())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trust store " + notes + " cannot be loaded");
    }

    @Test
    void aStoreWithoutCertificatesIsRefused() throws Exception {
        Path empty = store("PKCS12", "empty.p12", null);

        assertThatThrownBy(() -> TrustStore.of(empty, PASSWORD).sslContext())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trust store " + empty + " holds no certificates");
    }

    @Test
    void aMissingFileIsRefusedWhenTheValueIsMade() {
        Path missing = dir.resolve("missing.p12");

        assertThatThrownBy(() -> TrustStore.of(missing, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trust store must be a readable file, got: " + missing);
        assertThatThrownBy(() -> TrustStore.of(dir, PASSWORD)).hasMessageContaining("readable file");
    }

    @Test
    void thePasswordIsNeverShown() throws Exception {
        Path file = store("PKCS12", "shown.p12", certificate);

        assertThat(TrustStore.of(file, PASSWORD).toString()).contains("shown.p12").doesNotContain(PASSWORD);
    }

    private static Path store(String type, String name, Certificate trusted) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        if (trusted != null) {
            store.setCertificateEntry("server", trusted);
        }
        Path file = dir.resolve(name);
        try (var out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }
}
