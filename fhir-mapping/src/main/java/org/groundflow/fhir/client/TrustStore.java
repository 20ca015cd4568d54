package org.groundflow.fhir.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key store file with the certificates (or CAs) to trust for https to the FHIR server and its token endpoint,
 * e.g. a site CA. PKCS12 or JKS.
 *
 * @param path     the file
 * @param password its password; may be empty for a store of certificates only
 * @param type     "PKCS12" or "JKS"
 */
public record TrustStore(Path path, String password, String type) {

    public TrustStore {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(type, "type");
        if (!type.equals("PKCS12") && !type.equals("JKS")) {
            throw new IllegalArgumentException("type must be PKCS12 or JKS, got '" + type + "'");
        }
    }

    /** A PKCS12 store. */
    public static TrustStore pkcs12(Path path, String password) {
        return new TrustStore(path, password, "PKCS12");
    }

    /** An SSL context that trusts exactly the certificates of this store. */
    SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + path + " (" + type + ") cannot be read: " + e.getMessage(), e);
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "TrustStore[path=" + path + ", type=" + type + "]";
    }
}
