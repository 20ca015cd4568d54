package org.groundflow.dicomweb.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key store file whose certificates (or CAs, e.g. a site CA) alone are trusted for https, instead of the JVM's
 * default trust store: PKCS12 or JKS, told apart from the file's content. The one loader for every client of
 * Groundflow (PACS, FHIR server and its token endpoint). {@link #toString()} never shows the password.
 *
 * @param file     the key store file; must be readable when the value is made
 * @param password its password; may be empty for a store of certificates only
 */
public record TrustStore(Path file, String password) {

    public TrustStore {
        Objects.requireNonNull(file, "trustStore");
        Objects.requireNonNull(password, "trustStorePassword");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("trust store must be a readable file, got: " + file);
        }
    }

    public static TrustStore of(Path file, String password) {
        return new TrustStore(file, password);
    }

    /**
     * An SSL context that trusts exactly the certificates of this store; the file is read on each call.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read as a key store with this password, or
     *                                  holds no certificates
     */
    public SSLContext sslContext() {
        try {
            KeyStore store = KeyStore.getInstance(file.toFile(), password.toCharArray());
            if (store.size() == 0) {
                throw new IllegalArgumentException("trust store " + file + " holds no certificates");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + file + " cannot be loaded (wrong password or not a "
                    + "PKCS12/JKS key store): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TrustStore[" + file + "]";
    }
}
