package org.groundflow.fhir.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PKCS#12 key stores made at test time with the JDK's keytool (a new key pair and a self-signed certificate valid
 * for two days), so no key is ever kept in the repository. Public: the FHIR server module's tests sign with them too.
 */
public final class TestSigningKeys {

    public static final String PASSWORD = "test-only-password";
    public static final String ALIAS = "report-signing";

    private TestSigningKeys() {
    }

    /** A key store holding one 2048-bit RSA key under {@link #ALIAS}, protected by {@link #PASSWORD}. */
    public static Path rsa(Path dir, String name) {
        return generate(dir.resolve(name + ".p12"), ALIAS, "-keyalg", "RSA", "-keysize", "2048");
    }

    /** Adds a key pair under {@code alias} to a (new or existing) key store. */
    public static Path generate(Path store, String alias, String... keyOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                        .toString(), "-genkeypair", "-noprompt", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", alias, "-dname", "CN=Groundflow test signing",
                "-validity", "2"));
        command.addAll(List.of(keyOptions));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed for " + store + ": " + output);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }

    /** The signing key of a key store made by {@link #rsa}. */
    public static SigningKey key(Path store) {
        return SigningKey.pkcs12(store, PASSWORD, ALIAS);
    }
}
