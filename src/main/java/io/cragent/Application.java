package io.cragent;

import io.cragent.http.ProxyTunnels;

/** {@code java -jar cr-agent.jar [agent|client|scan] …}: the agent when no command is given. */
public final class Application {
    public static void main(String... args) throws Exception {
        // Before any HTTP class of the JDK loads: it reads this setting once.
        ProxyTunnels.allowBasicCredentials();
        System.exit(Command.select(args).run(Command.rest(args)));
    }
}
