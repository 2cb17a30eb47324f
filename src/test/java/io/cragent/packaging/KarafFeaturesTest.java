package io.cragent.packaging;

import io.cragent.embed.RouteLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Karaf cannot run here (camel-karaf for Camel 4 is not reachable), so deploy/karaf/features.xml and bnd.bnd are
 * checked against pom.xml: the same Camel version, a Camel feature for every Camel component the library uses and
 * none for camel-main, a bundle at the pom's version for every other dependency, and the bundle metadata exporting
 * the library's entry point from a profile that is off by default.
 */
class KarafFeaturesTest {
    /** Dependencies of the stand-alone jar only: camel-main runs it, Log4j logs it (Karaf has its own logging). */
    private static final List<String> NOT_IN_KARAF = List.of("org.apache.camel:camel-main",
            "org.apache.camel:camel-platform-http-main", "org.apache.logging.log4j:log4j-slf4j2-impl");

    private static Document pom;
    private static Map<String, String> pomProperties;
    private static List<String> features;
    private static List<String> bundles;
    private static String camelRepository;

    @BeforeAll
    static void read() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        pomProperties = new HashMap<>();
        Node properties = pom.getElementsByTagName("properties").item(0);
        for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                pomProperties.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        pomProperties.put("project.version", text(pom.getDocumentElement(), "version"));
        Document descriptor = factory.newDocumentBuilder().parse(Path.of("deploy/karaf/features.xml").toFile());
        Element feature = (Element) descriptor.getElementsByTagName("feature").item(0);
        assertThat(feature.getAttribute("name")).isEqualTo("cr-agent");
        features = childTexts(feature, "feature");
        bundles = childTexts(feature, "bundle");
        camelRepository = descriptor.getElementsByTagName("repository").item(0).getTextContent().strip();
    }

    @Test
    void camelFromCamelKarafAtThePomsVersion() {
        assertThat(camelRepository).isEqualTo("mvn:org.apache.camel.karaf/apache-camel/"
                + pomProperties.get("camel.version") + "/xml/features");
    }

    @Test
    void everyDependencyIsAFeatureOrABundleAtItsVersion() {
        List<String[]> dependencies = directDependencies();
        assertThat(dependencies).hasSizeGreaterThan(10);
        for (String[] d : dependencies) {
            String key = d[0] + ":" + d[1];
            if (NOT_IN_KARAF.contains(key)) {
                assertThat(features).as(key).doesNotContain(d[1]);
                continue;
            }
            if (d[0].equals("org.apache.camel")) {
                assertThat(features).as("feature for " + key).contains(d[1]);
                continue;
            }
            String version = d[2] != null ? resolve(d[2]) : bomVersion(d[0]);
            assertThat(bundles).as("bundle for " + key).anyMatch(b -> b.replaceFirst("^wrap:", "")
                    .equals("mvn:" + d[0] + "/" + d[1] + "/" + version));
        }
        assertThat(bundles).contains("mvn:io.cragent/cr-agent/" + pomProperties.get("project.version"));
    }

    @Test
    void bundleMetadataExportsTheRouteLibraryFromAProfileThatIsOffByDefault() throws Exception {
        String bnd = Files.readString(Path.of("bnd.bnd"));
        assertThat(bnd).containsPattern("(?m)^Export-Package: " + Pattern.quote(RouteLibrary.class.getPackageName()) + "$");
        assertThat(bnd).containsPattern("(?m)^Bundle-SymbolicName: \\S+");
        NodeList profiles = pom.getElementsByTagName("profile");
        Element osgi = null;
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            if (text(p, "id").equals("osgi")) {
                osgi = p;
            }
        }
        assertThat(osgi).as("the osgi profile").isNotNull();
        assertThat(osgi.getElementsByTagName("activeByDefault").getLength()).isZero();
        assertThat(osgi.getElementsByTagName("activation").getLength()).isZero();
        assertThat(osgi.getTextContent()).contains("bnd-maven-plugin", "bnd-process");
    }

    /** groupId, artifactId, version (null when a BOM manages it) of each non-test dependency. */
    private static List<String[]> directDependencies() {
        Element project = pom.getDocumentElement();
        Element dependencies = null;
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("dependencies")) {
                dependencies = e;
            }
        }
        List<String[]> out = new ArrayList<>();
        NodeList list = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            if (!text(d, "scope").equals("test")) {
                String version = text(d, "version");
                out.add(new String[] {text(d, "groupId"), text(d, "artifactId"), version.isEmpty() ? null : version});
            }
        }
        return out;
    }

    /** Versions managed by an imported BOM: the BOM's own version property. */
    private static String bomVersion(String groupId) {
        assertThat(groupId).as("only the AWS SDK comes from a BOM besides Camel").isEqualTo("software.amazon.awssdk");
        return pomProperties.get("aws.sdk.version");
    }

    private static String resolve(String value) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(pomProperties.get(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    private static String text(Element parent, String child) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    private static List<String> childTexts(Element parent, String child) {
        List<String> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) {
                out.add(e.getTextContent().strip());
            }
        }
        return out;
    }
}
