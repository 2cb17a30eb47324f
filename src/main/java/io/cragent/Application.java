package io.cragent;

/** {@code java -jar cr-agent.jar [agent|client|scan] …}: the agent when no command is given. */
public final class Application {
    public static void main(String... args) throws Exception {
        System.exit(Command.select(args).run(Command.rest(args)));
    }
}
