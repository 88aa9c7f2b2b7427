package dev.kiln.agent.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/** The graph checks on hand-built graphs shaped like TensorFlow 1 and 2 exports. */
class GraphPolicyTest {
  static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  static NodeDef call(String name, String function, String... inputs) {
    return node(name, "StatefulPartitionedCall", inputs).toBuilder()
        .putAttr(
            "f",
            AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build())
        .build();
  }

  static FunctionDef function(String name, List<String> args, NodeDef... nodes) {
    OpDef.Builder signature = OpDef.newBuilder().setName(name);
    args.forEach(arg -> signature.addInputArg(OpDef.ArgDef.newBuilder().setName(arg)));
    return FunctionDef.newBuilder().setSignature(signature).addAllNodeDef(List.of(nodes)).build();
  }

  /** A graph with a serving signature {@code x -> output}, and optionally a saver. */
  static MetaGraphDef graph(String output, List<NodeDef> nodes, FunctionDef... functions) {
    return MetaGraphDef.newBuilder()
        .setGraphDef(
            GraphDef.newBuilder()
                .addAllNode(nodes)
                .setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(List.of(functions))))
        .putSignatureDef(
            "serving_default",
            SignatureDef.newBuilder()
                .putInputs("x", TensorInfo.newBuilder().setName("x:0").build())
                .putOutputs("y", TensorInfo.newBuilder().setName(output + ":0").build())
                .build())
        .build();
  }

  static MetaGraphDef withSaver(MetaGraphDef graph, String filename, String save, String restore) {
    return graph.toBuilder()
        .setSaverDef(
            SaverDef.newBuilder()
                .setFilenameTensorName(filename + ":0")
                .setSaveTensorName(save)
                .setRestoreOpName(restore))
        .build();
  }

  /** The demo model's graph, as TensorFlow Java exports it. */
  static List<NodeDef> demo() {
    return List.of(
        node("x", "Placeholder"),
        node("Stack", "Pack", "x"),
        node("Const", "Const"),
        node("Sub", "Sub", "Stack", "Const"),
        node("MatMul", "MatMul", "Sub", "Const"),
        node("Relu", "Relu", "MatMul"),
        node("probabilities", "Softmax", "Relu"),
        node("class_id", "ArgMax", "probabilities", "Const"),
        node("save/filename", "Placeholder"),
        node("save/control_dependency", "Identity", "save/filename"),
        node("save/restore_all", "NoOp"));
  }

  /** A TensorFlow 1 variable with the saver TensorFlow Java writes. */
  static List<NodeDef> variable(String restoreFrom) {
    return List.of(
        node("x", "Placeholder"),
        node("w", "VariableV2"),
        node("y", "Mul", "x", "w"),
        node("save/filename", "Placeholder"),
        node("save/other", "Const"),
        node("save/Const", "Const"),
        node("save/Save", "SaveV2", "save/filename", "save/Const", "w"),
        node("save/control_dependency", "Identity", "save/filename", "^save/Save"),
        node("save/Restore", "RestoreV2", restoreFrom, "save/Const"),
        node("save/Assign", "Assign", "w", "save/Restore"),
        node("save/restore_all", "NoOp", "^save/Assign"));
  }

  @Test
  void theDemoGraphMayRun() {
    MetaGraphDef demo =
        withSaver(
            graph("class_id", demo()),
            "save/filename",
            "save/control_dependency",
            "save/restore_all");
    assertThat(GraphPolicy.problems(demo)).isEmpty();
  }

  @Test
  void operationsOutsideTheAllowlistAreNamedWhereverTheyAre() {
    List<NodeDef> nodes =
        List.of(
            node("x", "Placeholder"),
            node("path", "Const"),
            node("secret", "ReadFile", "path"),
            node("files", "MatchingFiles", "path"),
            node("mapped", "ImmutableConst"),
            node("y", "AddV2", "x", "x"));
    FunctionDef python = function("__inference_py", List.of("a"), node("call", "EagerPyFunc", "a"));
    FunctionDef writer =
        function("__inference_write", List.of("a"), node("w", "WriteFile", "a", "a"));

    List<String> problems = GraphPolicy.problems(graph("y", nodes, python, writer));

    assertThat(problems)
        .containsExactly(
            "it uses operations outside Kiln's allowlist: "
                + "EagerPyFunc, ImmutableConst, MatchingFiles, ReadFile, WriteFile");
  }

  @Test
  void aTensorFlow1VariableRestoredFromTheLoadersPathMayRun() {
    MetaGraphDef model =
        withSaver(
            graph("y", variable("save/filename")),
            "save/filename",
            "save/control_dependency",
            "save/restore_all");
    assertThat(GraphPolicy.problems(model)).isEmpty();
  }

  @Test
  void restoringFromAnotherPathIsRefused() {
    MetaGraphDef model =
        withSaver(
            graph("y", variable("save/other")),
            "save/filename",
            "save/control_dependency",
            "save/restore_all");
    assertThat(GraphPolicy.problems(model))
        .containsExactly(
            "'save/Restore' (RestoreV2) reads from a path other than the model's variables");
  }

  @Test
  void restoringFromTheConstantBehindTheFedFilenameIsRefused() {
    List<NodeDef> nodes = new java.util.ArrayList<>(variable("save/filename"));
    nodes.set(3, node("save/filename", "Identity", "save/other"));
    MetaGraphDef throughTheFedTensor =
        withSaver(
            graph("y", nodes), "save/filename", "save/control_dependency", "save/restore_all");
    nodes.set(8, node("save/Restore", "RestoreV2", "save/other", "save/Const"));
    MetaGraphDef aroundIt =
        withSaver(
            graph("y", nodes), "save/filename", "save/control_dependency", "save/restore_all");

    assertThat(GraphPolicy.problems(throughTheFedTensor)).isEmpty();
    assertThat(GraphPolicy.problems(aroundIt))
        .containsExactly(
            "'save/Restore' (RestoreV2) reads from a path other than the model's variables");
  }

  @Test
  void checkpointOperationsThatRunWithTheModelAreRefused() {
    List<NodeDef> nodes = new java.util.ArrayList<>(variable("save/filename"));
    nodes.set(2, node("y", "Mul", "x", "save/Restore"));
    nodes.add(node("save/write_on_load", "SaveV2", "save/filename", "save/Const", "w"));
    nodes.set(10, node("save/restore_all", "NoOp", "^save/Assign", "^save/write_on_load"));
    MetaGraphDef model =
        withSaver(
            graph("y", nodes), "save/filename", "save/control_dependency", "save/restore_all");

    assertThat(GraphPolicy.problems(model))
        .contains(
            "'save/Restore' (RestoreV2) touches files when the model runs",
            "'save/write_on_load' (SaveV2) writes files when the model is loaded");
  }

  @Test
  void initOpsAreCheckedAsWhatRuns() {
    List<NodeDef> nodes = new java.util.ArrayList<>(variable("save/filename"));
    nodes.add(node("init", "NoOp", "^save/Restore"));
    MetaGraphDef model =
        withSaver(graph("y", nodes), "save/filename", "save/control_dependency", "save/restore_all")
            .toBuilder()
            .putCollectionDef(
                "saved_model_main_op",
                CollectionDef.newBuilder()
                    .setNodeList(CollectionDef.NodeList.newBuilder().addValue("init"))
                    .build())
            .build();

    assertThat(GraphPolicy.problems(model))
        .containsExactly("'save/Restore' (RestoreV2) touches files when the model runs");
  }

  /** A TensorFlow 2 export: resource variables, and save and restore as functions. */
  static MetaGraphDef tensorFlow2(String restoreArgument) {
    FunctionDef forward =
        function(
            "__inference_forward",
            List.of("x", "w"),
            node("read", "ReadVariableOp", "w"),
            node("mul", "Mul", "x", "read:value:0"));
    FunctionDef save =
        function(
            "__inference__traced_save",
            List.of("file_prefix", "w"),
            node("StaticRegexFullMatch", "StaticRegexFullMatch", "file_prefix"),
            node("StringJoin", "StringJoin", "file_prefix", "StaticRegexFullMatch:output:0"),
            node("ShardedFilename", "ShardedFilename", "StringJoin:output:0"),
            node("SaveV2", "SaveV2", "ShardedFilename:filename:0", "w"),
            node("MergeV2Checkpoints", "MergeV2Checkpoints", "ShardedFilename:filename:0"));
    FunctionDef restore =
        function(
            "__inference__traced_restore",
            List.of("file_prefix", "w"),
            node("prefix", "Identity", "file_prefix"),
            node("RestoreV2", "RestoreV2", "prefix:output:0"),
            node("Identity", "Identity", "RestoreV2:tensors:0"),
            node("AssignVariableOp", "AssignVariableOp", "w", "Identity:output:0"));
    List<NodeDef> nodes =
        List.of(
            node("x", "Placeholder"),
            node("w", "VarHandleOp"),
            call("y", "__inference_forward", "x", "w"),
            node("saver_filename", "Placeholder"),
            node("other_path", "Const"),
            call("StatefulPartitionedCall_1", "__inference__traced_save", "saver_filename", "w"),
            call("StatefulPartitionedCall_2", "__inference__traced_restore", restoreArgument, "w"));
    return withSaver(
        graph("y", nodes, forward, save, restore),
        "saver_filename",
        "StatefulPartitionedCall_1:0",
        "StatefulPartitionedCall_2");
  }

  @Test
  void aTensorFlow2ExportMayRunAndItsSaveFunctionIsNeverRun() {
    assertThat(GraphPolicy.problems(tensorFlow2("saver_filename"))).isEmpty();
  }

  @Test
  void aTensorFlow2RestoreFunctionCalledWithAnotherPathIsRefused() {
    assertThat(GraphPolicy.problems(tensorFlow2("other_path")))
        .containsExactly(
            "'RestoreV2' (RestoreV2) in function __inference__traced_restore reads from a path"
                + " other than the model's variables");
  }

  @Test
  void nodeNamesAreReadFromInputsAndTensorNames() {
    assertThat(GraphPolicy.nodeName("^save/Assign")).isEqualTo("save/Assign");
    assertThat(GraphPolicy.nodeName("class_id:0")).isEqualTo("class_id");
    assertThat(GraphPolicy.nodeName("RestoreV2:tensors:0")).isEqualTo("RestoreV2");
  }
}
