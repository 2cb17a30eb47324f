package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.util.List;

/** One OS package database format: which files it needs, and the packages it reads from them. */
public interface OsPackageAnalyzer {

    /** The depGraph package manager: {@code deb}, {@code apk} or {@code rpm}. */
    String packageManager();

    FileMatcher matcher();

    /** The installed packages, in database order; empty when the image has no such database. */
    List<OsPackage> analyze(ImageFiles files, OsRelease os, List<String> warnings);
}
