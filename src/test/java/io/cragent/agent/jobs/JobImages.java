package io.cragent.agent.jobs;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;


/** Images the job tests scan: Ubuntu's dpkg database (140 packages), and a generated one too large for a callback. */
final class JobImages {
    static final String UBUNTU = "jobs/ubuntu";
    static final String HUGE = "jobs/huge";
    /** A package of the Ubuntu fixture, with its version. */
    static final String UBUNTU_PACKAGE = "debconf@1.5.28ubuntu4";

    private JobImages() {
    }

    static void pushUbuntu(DistributionRegistry registry, String repository, String tag) {
        TestImages.pushImage(registry, repository, tag, TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                        .withFile("etc/os-release", "ID=ubuntu\nVERSION_ID=\"10.04\"\nPRETTY_NAME=\"Ubuntu 10.04.4 LTS\"\n")
                        .withFile("var/lib/dpkg/status", TestImages.ubuntuDpkgStatus()));
    }

    /** {@code count} installed packages with long names: the OS depGraph alone is far over 10 MB. */
    static void pushHuge(DistributionRegistry registry, int count) {
        StringBuilder status = new StringBuilder(count * 160);
        for (int i = 0; i < count; i++) {
            status.append("Package: ").append(hugePackage(i)).append("\nStatus: install ok installed\n")
                    .append("Architecture: amd64\nVersion: 1.0.").append(i % 97).append("-1\n\n");
        }
        TestImages.pushImage(registry, HUGE, "1", TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                        .withFile("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                        .withFile("var/lib/dpkg/status", status.toString()));
    }

    static String hugePackage(int i) {
        return String.format("generated-package-for-the-callback-size-limit-%06d", i);
    }
}
