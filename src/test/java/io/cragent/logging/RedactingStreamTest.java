package io.cragent.logging;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingStreamTest {

    @Test
    void redactsWholeLinesHoweverTheyWereWritten() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        PrintStream err = RedactingStream.over(target);
        Redactor.rememberLogin("reader", "s3cret-stream-pass");
        String basic = Base64.getEncoder().encodeToString("reader:s3cret-stream-pass".getBytes(StandardCharsets.UTF_8));

        err.print("login with s3cret-str");
        err.print("eam-pass refused, ");
        err.println("größe ok");
        err.write(("header X-Sent: " + basic + "\nno end").getBytes(StandardCharsets.UTF_8), 0,
                ("header X-Sent: " + basic + "\nno end").length());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("an unfinished line waits")
                .isEqualTo("login with *** refused, größe ok" + System.lineSeparator() + "header X-Sent: ***\n");
        err.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("***\nno end");
        assertThat(RedactingStream.over(err)).isSameAs(err);
    }
}
