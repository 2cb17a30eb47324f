package io.cragent.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * An in-memory test PKI: a CA, a TLS server certificate for 127.0.0.1/localhost signed by it, and a
 * separate self-signed certificate for signing registry tokens. Nothing touches the system trust store;
 * clients get the CA explicitly (PEM file or {@link #clientSslContext()}).
 */
public final class TestPki {

    /** A key pair with its certificate; {@code chain} starts with the certificate itself. */
    public record Issued(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> chain) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    /** Where {@link #writeServerPem}/{@link #writeTokenSignerPem} put things. */
    public record PemFiles(Path certificate, Path privateKey, Path ca) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEYSTORE_PASSWORD = "test-only".toCharArray();
    private static TestPki shared;

    private final Issued ca;
    private final List<String> extraServerNames;
    private final Issued server;
    private final Issued tokenSigner;

    private TestPki(String... extraServerNames) {
        this.ca = createSelfSigned("cr-agent test CA", true);
        this.extraServerNames = List.of(extraServerNames);
        this.server = issueServerCertificate(ca, this.extraServerNames);
        this.tokenSigner = createSelfSigned("test-token-signer", false);
    }

    /** A fresh PKI (three RSA-2048 keys, so about a second of CPU). */
    public static TestPki create() {
        return new TestPki();
    }

    /**
     * A fresh PKI whose server certificates also name these hosts (DNS SANs): for peers reached by names that a test
     * resolves itself ({@code -Djdk.net.hosts.file}).
     */
    public static TestPki withServerNames(String... dnsNames) {
        return new TestPki(dnsNames);
    }

    /** One PKI per JVM, so that several registries in one test run do not each pay for key generation. */
    public static synchronized TestPki shared() {
        if (shared == null) {
            shared = new TestPki();
        }
        return shared;
    }

    public Issued ca() {
        return ca;
    }

    public KeyPair caKeyPair() {
        return ca.keyPair();
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /**
     * The TLS server certificate: SAN IP:127.0.0.1 and DNS:localhost (plus {@link #withServerNames}), signed by
     * {@link #caCertificate()}.
     */
    public Issued server() {
        return server;
    }

    /** Issues another server certificate (same SANs) from this CA, e.g. for a second HTTPS peer. */
    public Issued issueServerCertificate() {
        return issueServerCertificate(ca, extraServerNames);
    }

    /** The self-signed token-signing certificate; it is its own root, so it alone forms the rootcertbundle. */
    public Issued tokenSigner() {
        return tokenSigner;
    }

    /** Writes server.crt, server.key (PKCS#8 "PRIVATE KEY") and ca.crt into {@code dir}. */
    public PemFiles writeServerPem(Path dir) {
        return new PemFiles(
                write(dir.resolve("server.crt"), certificatePem(server.certificate())),
                write(dir.resolve("server.key"), privateKeyPem(server.privateKey())),
                writeCaPem(dir.resolve("ca.crt")));
    }

    /** Writes token-signer.crt and token-signer.key; the "CA" of a self-signed signer is the cert itself. */
    public PemFiles writeTokenSignerPem(Path dir) {
        Path cert = write(dir.resolve("token-signer.crt"), certificatePem(tokenSigner.certificate()));
        return new PemFiles(cert, write(dir.resolve("token-signer.key"), privateKeyPem(tokenSigner.privateKey())), cert);
    }

    public Path writeCaPem(Path file) {
        return write(file, certificatePem(ca.certificate()));
    }

    /** For Java HTTPS servers (token issuer): presents the server certificate plus the CA. */
    public SSLContext serverSslContext() {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", server.privateKey(), KEYSTORE_PASSWORD,
                    server.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, KEYSTORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build server SSLContext", e);
        }
    }

    /** For Java clients: trusts only this test CA (hostname verification stays on). */
    public SSLContext clientSslContext() {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("test-ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build client SSLContext", e);
        }
    }

    /** A self-signed certificate, e.g. an untrusted token signer for negative tests. */
    public static Issued createSelfSigned(String commonName, boolean isCa) {
        KeyPair keyPair = newRsaKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keyPair)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                            ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                            : KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate cert = sign(builder, keyPair.getPrivate());
            return new Issued(keyPair, cert, List.of(cert));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create self-signed certificate", e);
        }
    }

    private static Issued issueServerCertificate(Issued ca, List<String> extraNames) {
        KeyPair keyPair = newRsaKeyPair();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=127.0.0.1"), keyPair)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Stream.concat(
                            Stream.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                    new GeneralName(GeneralName.dNSName, "localhost")),
                            extraNames.stream().map(name -> new GeneralName(GeneralName.dNSName, name)))
                            .toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate cert = sign(builder, ca.privateKey());
            return new Issued(keyPair, cert, List.of(cert, ca.certificate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue server certificate", e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keyPair) {
        // Back-dated an hour so that small clock differences between processes never matter.
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                subject, keyPair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8 ("PRIVATE KEY"): JCA keys encode as PKCS#8, and Go's tls.LoadX509KeyPair accepts it. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
