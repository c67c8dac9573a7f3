package dev.genre.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Self time by op name from a Chrome trace: libtorch's legacy profiler (DJL's
 * {@code JniUtils.stopProfile}, a JSON array) or PyTorch's Kineto profiler ({@code traceEvents}).
 * Self time, not total: aten ops nest (conv2d calls convolution calls mkldnn_convolution), and only
 * self times add up to the step.
 */
final class OpProfile {
    private record Event(String name, long tid, double ts, double dur) {}

    private OpProfile() {}

    static Map<String, Double> selfMillis(Path trace) throws IOException {
        JsonNode root = Json.MAPPER.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<Long, List<Event>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText())) continue;
            String cat = e.path("cat").asText("cpu_op");
            if (!cat.equals("cpu_op") && !cat.equals("Operator")) continue; // Kineto also writes Python frames and annotations
            long tid = e.path("tid").asLong(0);
            byThread.computeIfAbsent(tid, k -> new ArrayList<>())
                    .add(new Event(e.path("name").asText(), tid, e.path("ts").asDouble(), e.path("dur").asDouble()));
        }
        Map<String, Double> self = new HashMap<>();
        for (List<Event> list : byThread.values()) {
            // Parents first: earlier start, then longer duration.
            list.sort(Comparator.comparingDouble(Event::ts).thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
            List<Event> order = list;
            double[] childTime = new double[list.size()];
            Deque<Integer> stack = new ArrayDeque<>();
            for (int i = 0; i < order.size(); i++) {
                Event e = order.get(i);
                while (!stack.isEmpty() && end(order.get(stack.peek())) <= e.ts()) stack.pop();
                if (!stack.isEmpty()) childTime[stack.peek()] += e.dur();
                stack.push(i);
            }
            for (int i = 0; i < order.size(); i++) {
                Event e = order.get(i);
                self.merge(e.name(), Math.max(0, e.dur() - childTime[i]) / 1000.0, Double::sum);
            }
        }
        return self;
    }

    private static double end(Event e) {
        return e.ts() + e.dur();
    }
}
