"""onnx.checker on each model file given; exit 0 when all pass. Run with Debian's /usr/bin/python3 (python3-onnx)."""
import sys
import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    print("ok", path, "opset", model.opset_import[0].version)
