package dev.genre.run;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs like this one: same java, class path and heap limit,
 * every {@code genre.*}, DJL, ONNX Runtime and logging system property, and the Vector API module when this JVM
 * has it. The environment (jemalloc, oneDNN) is inherited by the process itself.
 */
public final class ChildJvm {
    private ChildJvm() {}

    public static List<String> command(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (String arg : ProcessHandle.current().info().arguments().map(List::of).orElse(List.of())) {
            if (arg.startsWith("-Xmx")) cmd.add(arg);
        }
        // From the live properties, not the command line: a test or the launcher may have set them.
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("genre.") || name.startsWith("ai.djl.") || name.startsWith("org.slf4j.") || name.startsWith("onnxruntime.")) {
                cmd.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        if (System.getProperty("ai.djl.offline") == null) cmd.add("-Dai.djl.offline=true");
        // The SIMD log-mel kernel (audio-prep's MelPowerKernel) needs the incubator module.
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    /**
     * Ends this JVM at once (no shutdown hooks) when the process that started it is gone, checking
     * every second: a worker whose parent was killed must not go on writing into a run directory
     * that a resumed run may already be using. Call it first thing in a child's main.
     */
    public static void exitWithParent() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) return;
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                // A dead parent's child is re-parented (to init or a subreaper), so the pid changes.
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (!parent.isAlive() || now != parent.pid()) Runtime.getRuntime().halt(1);
            }
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
