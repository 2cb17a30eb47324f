package io.cragent.scan.output;

import io.cragent.scan.ScanReport;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.os.OsPackage;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;

import java.util.ArrayList;
import java.util.List;

/** A CycloneDX 1.6 JSON SBOM of the image: the image as the metadata component, its packages as components. */
public final class CycloneDxOutput {
    private CycloneDxOutput() {
    }

    /** A package found twice in one project (npm trees repeat them) is one component. */
    private static List<Component> dedupe(List<Component> components) {
        java.util.Map<String, Component> byRef = new java.util.LinkedHashMap<>();
        components.forEach(c -> byRef.putIfAbsent(c.getBomRef(), c));
        return new ArrayList<>(byRef.values());
    }

    public static String render(ScanReport report) throws Exception {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + java.util.UUID.randomUUID());
        Metadata metadata = new Metadata();
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setName(report.image().rootName().replaceFirst("^docker-image\\|", ""));
        if (!report.image().rootVersion().isEmpty()) {
            image.setVersion(report.image().rootVersion());
        }
        image.setBomRef(report.image().imageId());
        Property platform = new Property();
        platform.setName("cr-agent:platform");
        platform.setValue(report.image().platform());
        image.setProperties(List.of(platform));
        metadata.setComponent(image);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        Component os = new Component();
        os.setType(Component.Type.OPERATING_SYSTEM);
        os.setName(report.os().name());
        os.setVersion(report.os().version());
        os.setBomRef("os:" + report.os().alias());
        components.add(os);
        for (OsPackage p : report.osPackages().packages()) {
            Component c = new Component();
            c.setType(Component.Type.LIBRARY);
            c.setName(p.name());
            c.setVersion(p.version());
            c.setBomRef(p.id());
            if (p.purl() != null) {
                c.setPurl(p.purl());
            }
            components.add(c);
        }
        for (AppResult app : report.apps()) {
            for (AppPackages.AppPackage p : AppPackages.of(app)) {
                Component c = new Component();
                c.setType(Component.Type.LIBRARY);
                c.setName(p.name());
                if (!p.version().isEmpty()) {
                    c.setVersion(p.version());
                }
                c.setBomRef(app.type() + ":" + app.targetFile() + ":" + p.name() + "@" + p.version());
                if (p.purl() != null) {
                    c.setPurl(p.purl());
                }
                Property target = new Property();
                target.setName("cr-agent:target");
                target.setValue(app.type() + ":" + app.targetFile());
                c.setProperties(List.of(target));
                components.add(c);
            }
        }
        bom.setComponents(dedupe(components));
        return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    }
}
