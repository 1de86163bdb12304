"""Regenerates the hostile xgb-*.ubj fixtures from ../valid/xgboost-small.ubj (saved by xgboost4j 3.4).

Each fixture is a byte-level edit of the real file, so everything except the one defect is what
XGBoost writes. Run from this directory: python3 make-ubj-fixtures.py
"""
import struct

valid = open("../valid/xgboost-small.ubj", "rb").read()


def key(name):
    return b"L" + struct.pack(">q", len(name)) + name.encode()


def after(data, marker):
    i = data.index(marker)
    return i + len(marker)


def write(name, data):
    open(name, "wb").write(data)


conditions = after(valid, key("split_conditions") + b"[$d#L")  # at the 8-byte count
write("xgb-truncated.ubj", valid[: conditions + 8 + 6])
write("xgb-huge-count.ubj", valid[:conditions] + struct.pack(">q", 2**62) + valid[conditions + 8:])
first_condition = conditions + 8
write("xgb-nan-threshold.ubj",
      valid[:first_condition] + struct.pack(">f", float("nan")) + valid[first_condition + 4:])
left = after(valid, key("left_children") + b"[$l#L") + 8
write("xgb-child-out-of-range.ubj", valid[:left] + struct.pack(">i", 99) + valid[left + 4:])
objective = after(valid, key("objective") + b"{")
name_at = objective + len(key("name"))  # 'S' marker of the value
assert valid[name_at:name_at + 2] == b"SL"
write("xgb-huge-string.ubj", valid[:name_at + 2] + struct.pack(">q", 2**40) + valid[name_at + 10:])
write("xgb-negative-length.ubj", valid[:objective] + b"L" + struct.pack(">q", -5) + valid[objective + 9:])
text = name_at + 10
write("xgb-bad-utf8.ubj", valid[:text] + b"\xff" + valid[text + 1:])
num_feature = after(valid, key("learner_model_param") + b"{")
num_feature = valid.index(key("num_feature"), num_feature) + len(key("num_feature"))
assert valid[num_feature:num_feature + 1] == b"S"
write("xgb-unknown-marker.ubj", valid[:num_feature] + b"X" + valid[num_feature + 1:])
write("xgb-duplicate-key.ubj", valid.replace(key("feature_types"), key("feature_names"), 1))
write("xgb-trailing-bytes.ubj", valid + b"Z")
default_left = after(valid, key("default_left") + b"[$")
write("xgb-typed-null-array.ubj", valid[:default_left] + b"Z" + valid[default_left + 1:])
write("xgb-deep-nesting.ubj", b"{" + key("learner") + b"[" * 100 + b"]" * 100 + b"}")
