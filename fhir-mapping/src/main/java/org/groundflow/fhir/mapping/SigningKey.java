package org.groundflow.fhir.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The key that signs published reports, held by the organisation that runs Groundflow: an RSA private key of at
 * least 2048 bits (signatures are RS256) and its certificate chain, the signer's certificate first. Read it from a
 * PKCS#12 key store with {@link #pkcs12}; the store and its password come from configuration, never the repository.
 *
 * @param privateKey   the RSA private key
 * @param certificates the certificate of {@code privateKey}'s public key, then its issuers (at least one)
 */
public record SigningKey(PrivateKey privateKey, List<X509Certificate> certificates) {

    static final int MIN_RSA_BITS = 2048;

    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificates, "certificates");
        if (!(privateKey instanceof RSAKey rsa)) {
            throw new IllegalArgumentException("privateKey must be an RSA key (signatures are RS256), got "
                    + privateKey.getAlgorithm());
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("privateKey must have at least " + MIN_RSA_BITS + " bits, got "
                    + rsa.getModulus().bitLength());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("certificates must hold the signer's certificate, got none");
        }
        certificates = List.copyOf(certificates);
        if (!(certificates.get(0).getPublicKey() instanceof RSAKey certified)
                || !certified.getModulus().equals(rsa.getModulus())) {
            throw new IllegalArgumentException("certificates must start with the certificate of privateKey, got one "
                    + "for " + certificates.get(0).getSubjectX500Principal().getName());
        }
    }

    /**
     * Reads the key under {@code alias} from a PKCS#12 key store, or its only key when {@code alias} is null or blank.
     *
     * @throws IllegalArgumentException if the store cannot be read with the password, has no such key, holds an
     *                                  unusable key, or the signer's certificate is not valid now
     */
    public static SigningKey pkcs12(Path file, String password, String alias) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("key store " + file + " (PKCS12) cannot be read with the configured "
                    + "password: " + e.getMessage(), e);
        }
        try {
            String name = alias == null || alias.isBlank() ? onlyKey(store, file) : alias.trim();
            Key key = store.isKeyEntry(name) ? store.getKey(name, password.toCharArray()) : null;
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException("key store " + file + " has no private key under alias '" + name
                        + "'");
            }
            Certificate[] stored = store.getCertificateChain(name);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : stored == null ? new Certificate[0] : stored) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("key store " + file + " has no X.509 certificate for the key under "
                        + "alias '" + name + "'");
            }
            chain.get(0).checkValidity();
            return new SigningKey(privateKey, chain);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate of the signing key in " + file + " is not valid now: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the signing key in key store " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** The public key that verifies this key's signatures (from the signer's certificate). */
    public PublicKey publicKey() {
        return certificates.get(0).getPublicKey();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "SigningKey[subject=" + certificates.get(0).getSubjectX500Principal().getName() + "]";
    }

    private static String onlyKey(KeyStore store, Path file) throws GeneralSecurityException {
        List<String> keys = new ArrayList<>();
        for (String name : Collections.list(store.aliases())) {
            if (store.isKeyEntry(name)) {
                keys.add(name);
            }
        }
        Collections.sort(keys);
        if (keys.size() != 1) {
            throw new IllegalArgumentException("key store " + file + " must hold exactly one private key when no "
                    + "alias is configured, got " + keys.size() + " " + keys);
        }
        return keys.get(0);
    }
}
