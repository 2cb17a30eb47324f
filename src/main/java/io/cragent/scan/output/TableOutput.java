package io.cragent.scan.output;

import io.cragent.scan.ScanReport;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.os.OsPackage;

import java.util.List;

/** A readable summary: the image, its OS, and one line per package. */
public final class TableOutput {
    private TableOutput() {
    }

    public static String render(ScanReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Image     ").append(report.image().rootName().replaceFirst("^docker-image\\|", ""))
                .append(report.image().rootVersion().isEmpty() ? "" : ":" + report.image().rootVersion()).append('\n');
        out.append("Platform  ").append(report.image().platform()).append('\n');
        out.append("OS        ").append(report.os().prettyName() != null ? report.os().prettyName() : report.os().alias()).append('\n');
        out.append("Packages  ").append(report.osPackages().packages().size()).append(" (")
                .append(report.osPackages().packageManager()).append(")\n\n");
        int width = report.osPackages().packages().stream().mapToInt(p -> p.graphName().length()).max().orElse(4);
        out.append(String.format("%-" + width + "s  %s%n", "NAME", "VERSION"));
        for (OsPackage p : report.osPackages().packages()) {
            out.append(String.format("%-" + width + "s  %s%n", p.graphName(), p.version()));
        }
        for (AppResult app : report.apps()) {
            List<AppPackages.AppPackage> packages = AppPackages.of(app);
            out.append('\n').append(app.type()).append("  ").append(app.targetFile()).append("  (")
                    .append(packages.size()).append(" packages)\n");
            packages.forEach(p -> out.append("  ").append(p.name()).append(p.version().isEmpty() ? "" : "  " + p.version()).append('\n'));
        }
        report.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        return out.toString();
    }
}
