package io.cragent.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.scan.os.OsPackages;
import io.cragent.scan.os.OsRelease;
import io.cragent.scan.source.ImageDescription;

import java.time.Duration;
import java.util.List;

/** A finished scan: the snyk-compatible response and the parts other output forms are made from. */
public record ScanReport(ImageDescription image, OsRelease os, OsPackages.Result osPackages,
                         java.util.List<io.cragent.scan.apps.AppResult> apps, ObjectNode pluginResponse,
                         List<String> warnings, long bytesStreamed, Duration elapsed) {
}
