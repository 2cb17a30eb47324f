package io.cragent.scan.os.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpmPackageTest {

    @Test
    void requiresNameVersionReleaseAndSize() throws Exception {
        assertThat(RpmPackage.from(RpmHeader.parse(HeaderBlobBuilder.pkg("a", "1", "2").build()))).isPresent();
        assertThat(RpmPackage.from(RpmHeader.parse(new HeaderBlobBuilder()
                .string(RpmHeader.TAG_NAME, "a").string(RpmHeader.TAG_VERSION, "1")
                .string(RpmHeader.TAG_RELEASE, "2").build()))).isEmpty();
        assertThat(RpmPackage.from(RpmHeader.parse(new HeaderBlobBuilder()
                .string(RpmHeader.TAG_NAME, "a").string(RpmHeader.TAG_VERSION, "1")
                .int32(RpmHeader.TAG_SIZE, 5).build()))).isEmpty();
    }

    @Test
    void readsOptionalTags() throws Exception {
        RpmPackage p = RpmPackage.from(RpmHeader.parse(HeaderBlobBuilder.pkg("nodejs", "10.21.0", "3.module_el8")
                .int32(RpmHeader.TAG_EPOCH, 1)
                .int32(RpmHeader.TAG_SIZE, -1) // ignored: the first SIZE entry wins
                .string(RpmHeader.TAG_SOURCERPM, "nodejs-10.21.0-3.module_el8.src.rpm")
                .string(RpmHeader.TAG_MODULARITYLABEL, "nodejs:10:8020020200707141642:6a468ee4")
                .build())).orElseThrow();

        assertThat(p).isEqualTo(new RpmPackage("nodejs", "10.21.0", "3.module_el8", 1, "x86_64", 1234,
                "nodejs-10.21.0-3.module_el8.src.rpm", "nodejs:10:8020020200707141642:6a468ee4"));
        assertThat(p.fullVersion()).isEqualTo("1:10.21.0-3.module_el8");
    }

    @Test
    void sizeIsUnsigned() throws Exception {
        RpmPackage p = RpmPackage.from(RpmHeader.parse(new HeaderBlobBuilder()
                .string(RpmHeader.TAG_NAME, "big").string(RpmHeader.TAG_VERSION, "1")
                .string(RpmHeader.TAG_RELEASE, "1").int32(RpmHeader.TAG_SIZE, 0xF000_0000).build())).orElseThrow();

        assertThat(p.size()).isEqualTo(0xF000_0000L);
        assertThat(p.epoch()).isNull();
        assertThat(p.arch()).isNull();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "NULL, 1.0, 2, 1.0-2",
        "0,    1.0, 2, 1.0-2",
        "3,    1.0, 2, 3:1.0-2",
        "-1,   1.0, 2, 1.0-2",
    })
    void fullVersionAddsAPositiveEpoch(Integer epoch, String version, String release, String expected) {
        assertThat(new RpmPackage("p", version, release, epoch, null, 0, null, null).fullVersion()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "audit-3.0.6-1.cm2.src.rpm,            audit,           3.0.6-1.cm2",
        "gcc11-11.2.1+git610-1.3.9.src.rpm,    gcc11,           11.2.1+git610-1.3.9",
        "python-dateutil-2.8.1-1.el8.src.rpm,  python-dateutil, 2.8.1-1.el8",
        "foo-1-2.nosrc.rpm,                    foo,             1-2",
        "foo-1-2,                              foo,             1-2",
        "foo-1.src.rpm,                        NULL,            NULL",
        "-1-2.src.rpm,                         NULL,            NULL",
        "foo--2.src.rpm,                       NULL,            NULL",
        "foo-1-.src.rpm,                       NULL,            NULL",
        "NULL,                                 NULL,            NULL",
    })
    void splitsSourceRpmOnItsLastTwoDashes(String sourceRpm, String name, String version) {
        RpmPackage p = new RpmPackage("p", "1", "1", null, null, 0, sourceRpm, null);

        assertThat(p.sourceName()).isEqualTo(name);
        assertThat(p.sourceVersion()).isEqualTo(version);
    }
}
