package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Copies of parameters' current values that can be put back into them later. */
final class ParameterSnapshot {
    private final List<Parameter> params; // arrays looked up on restore: loading a checkpoint replaces them
    private final List<NDArray> copies;

    private ParameterSnapshot(List<Parameter> params, List<NDArray> copies) {
        this.params = params;
        this.copies = copies;
    }

    /** Copies every parameter's values onto {@code manager}. */
    static ParameterSnapshot take(List<Parameter> params, NDManager manager) {
        List<NDArray> copies = new ArrayList<>(params.size());
        for (Parameter p : params) copies.add(copyOf(p.getArray(), manager));
        return new ParameterSnapshot(List.copyOf(params), copies);
    }

    /** Writes the copied values back into the parameters. */
    void restore() {
        for (int i = 0; i < params.size(); i++) copies.get(i).copyTo(params.get(i).getArray());
    }

    /** Frees the copies (they are also freed with their manager). */
    void close() {
        copies.forEach(NDArray::close);
    }

    /** A copy outside autograd: an in-place add into zeros records nothing, where DJL's duplicate might carry the gradient flag. */
    static NDArray copyOf(NDArray w, NDManager manager) {
        NDArray copy = manager.zeros(w.getShape(), w.getDataType());
        copy.addi(w);
        return copy;
    }
}
