package org.groundflow.dicomweb.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSL context that trusts exactly the certificates of one key store file (PKCS12 or JKS). */
public final class TrustStore {

    private TrustStore() {
    }

    /** @throws IllegalArgumentException naming the file when it cannot be read as a key store with this password */
    public static SSLContext sslContext(Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance(file.toFile(), password.toCharArray());
            if (store.size() == 0) {
                throw new IllegalArgumentException("trustStore " + file + " holds no certificates");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trustStore " + file + " cannot be loaded (wrong password or not a "
                    + "PKCS12/JKS key store): " + e.getMessage(), e);
        }
    }
}
