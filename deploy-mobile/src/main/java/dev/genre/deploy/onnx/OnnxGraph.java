package dev.genre.deploy.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small typed front to ONNX's protobuf classes: nodes, initializers, graph inputs and outputs.
 * Each node's output is named after the node, so graphs read like the spec they came from.
 */
public final class OnnxGraph {
    /** Opset 17: HardSwish (14+) and per-axis QuantizeLinear (13+); the newest that Debian's onnx 1.12 checker knows. */
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> used = new LinkedHashMap<>();

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float input [batch, dims...] with a symbolic batch dimension. */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
        return name;
    }

    public void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
    }

    public String floats(String name, long[] shape, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return raw(name, TensorProto.DataType.FLOAT, shape, b.array());
    }

    public String scalar(String name, float v) {
        return floats(name, new long[0], new float[] {v});
    }

    public String raw(String name, TensorProto.DataType type, long[] shape, byte[] bytes) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(bytes));
        for (long d : shape) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node named {@code name} (made unique) whose single output carries the same name. */
    public String node(String op, String name, List<String> inputs, Attr... attrs) {
        String out = unique(name);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
        for (Attr a : attrs) n.addAttribute(a.proto);
        graph.addNode(n);
        return out;
    }

    private String unique(String name) {
        int k = used.merge(name, 1, Integer::sum);
        return k == 1 ? name : name + "_" + k;
    }

    public ModelProto build(Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("genre").setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    static ValueInfoProto valueInfo(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    /** A node attribute. */
    public static final class Attr {
        final AttributeProto proto;

        private Attr(AttributeProto proto) {
            this.proto = proto;
        }

        public static Attr i(String name, long v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build());
        }

        public static Attr f(String name, float v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build());
        }

        public static Attr ints(String name, long... v) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) b.addInts(x);
            return new Attr(b.build());
        }
    }
}
