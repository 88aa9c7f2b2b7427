package dev.kiln.agent.tf;

import dev.kiln.agent.processor.ProcessorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Decides whether an uploaded SavedModel may run. A model is untrusted code: TensorFlow graphs can
 * read and write files, and the loader runs some of the graph (the restore step and the init op)
 * before anyone calls it, so the graph is checked from {@code saved_model.pb} before TensorFlow
 * sees it. A model may run when:
 *
 * <ol>
 *   <li>every operation in its graphs and functions is in {@link AllowedOps};
 *   <li>nothing the loader or Kiln runs (signatures, init ops, table initialisers) reaches an
 *       operation that touches files;
 *   <li>the restore step writes nothing and reads variables only from the path the loader feeds it
 *       (the saver's filename tensor, which the loader sets to the model's own {@code variables/});
 *       a saver's save step may write, since Kiln never runs it.
 * </ol>
 *
 * Stateless.
 */
public final class GraphPolicy {
  private static final List<String> INIT_COLLECTIONS =
      List.of("saved_model_main_op", "legacy_init_op", "table_initializer");
  private static final Set<String> CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");
  private static final List<String> OTHER_GRAPH_FILES =
      List.of("saved_model.pbtxt", "saved_model.cpb");

  private GraphPolicy() {}

  /**
   * Checks the SavedModel in {@code directory}.
   *
   * @throws ProcessorException non-retryable, naming the forbidden operations, when it may not run
   */
  public static void check(Path directory) throws ProcessorException {
    for (String other : OTHER_GRAPH_FILES) {
      if (Files.exists(directory.resolve(other))) {
        throw ProcessorException.fatal(
            "the model holds " + other + " beside saved_model.pb; Kiln loads saved_model.pb only");
      }
    }
    SavedModel model;
    try (InputStream in = Files.newInputStream(directory.resolve(LoadedModel.SAVED_MODEL_FILE))) {
      model = SavedModel.parseFrom(in);
    } catch (IOException e) {
      throw ProcessorException.fatal(
          "the model's saved_model.pb does not parse as a SavedModel: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    for (MetaGraphDef graph : model.getMetaGraphsList()) {
      problems.addAll(problems(graph));
    }
    List<String> distinct = List.copyOf(new LinkedHashSet<>(problems));
    if (!distinct.isEmpty()) {
      String shown = String.join("; ", distinct.subList(0, Math.min(5, distinct.size())));
      String more = distinct.size() > 5 ? " and " + (distinct.size() - 5) + " more" : "";
      throw ProcessorException.fatal(
          "the model is refused: "
              + shown
              + more
              + ". Kiln runs models that only compute (no file, network or Python operations)");
    }
  }

  /** What keeps {@code graph} from running, empty when it may run. */
  static List<String> problems(MetaGraphDef graph) {
    Graph g = new Graph(graph);
    Set<String> forbidden = new TreeSet<>();
    for (Located located : g.all()) {
      String op = located.node().getOp();
      if (!AllowedOps.allowed(op) && !g.functions.containsKey(op)) {
        forbidden.add(op);
      }
    }
    if (!forbidden.isEmpty()) {
      return List.of(
          "it uses operations outside Kiln's allowlist: " + String.join(", ", forbidden));
    }
    List<String> problems = new ArrayList<>();
    for (Located located : g.reach(runRoots(graph))) {
      if (AllowedOps.touchesFiles(located.node().getOp())) {
        problems.add(located.describe() + " touches files when the model runs");
      }
    }
    String restore = nodeName(graph.getSaverDef().getRestoreOpName());
    String filename = nodeName(graph.getSaverDef().getFilenameTensorName());
    for (Located located : g.reach(restore.isEmpty() ? List.of() : List.of(restore))) {
      String op = located.node().getOp();
      if (AllowedOps.SAVE.contains(op)) {
        problems.add(located.describe() + " writes files when the model is loaded");
      } else if (AllowedOps.RESTORE.equals(op) && !g.readsFrom(located, filename)) {
        problems.add(located.describe() + " reads from a path other than the model's variables");
      }
    }
    return problems;
  }

  /** What the loader and Kiln run: every signature's outputs and the init ops. */
  private static List<String> runRoots(MetaGraphDef graph) {
    List<String> roots = new ArrayList<>();
    for (SignatureDef signature : graph.getSignatureDefMap().values()) {
      for (TensorInfo output : signature.getOutputsMap().values()) {
        roots.add(nodeName(output.getName()));
      }
    }
    for (String collection : INIT_COLLECTIONS) {
      CollectionDef def = graph.getCollectionDefMap().get(collection);
      if (def != null) {
        def.getNodeList().getValueList().forEach(name -> roots.add(nodeName(name)));
      }
    }
    return roots;
  }

  /** The node an input or tensor name refers to: {@code ^a}, {@code a:0}, {@code a:out:0} -> a. */
  static String nodeName(String input) {
    String name = input.startsWith("^") ? input.substring(1) : input;
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  /** A graph and its function library, indexed. */
  private static final class Graph {
    final Map<String, NodeDef> nodes = new HashMap<>();
    final Map<String, FunctionDef> functions = new HashMap<>();

    Graph(MetaGraphDef meta) {
      meta.getGraphDef().getNodeList().forEach(node -> nodes.put(node.getName(), node));
      meta.getGraphDef()
          .getLibrary()
          .getFunctionList()
          .forEach(function -> functions.put(function.getSignature().getName(), function));
    }

    /** Every node of the graph and of its functions. */
    List<Located> all() {
      List<Located> all = new ArrayList<>();
      nodes.values().forEach(node -> all.add(new Located(node, null)));
      functions.values().forEach(f -> f.getNodeDefList().forEach(n -> all.add(new Located(n, f))));
      return all;
    }

    /** The nodes {@code roots} run: their inputs, transitively, and the functions they call. */
    List<Located> reach(Collection<String> roots) {
      Deque<String> todo = new ArrayDeque<>(roots);
      List<Located> reached = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Deque<String> calls = new ArrayDeque<>();
      while (!todo.isEmpty()) {
        NodeDef node = nodes.get(todo.pop());
        if (node != null && seen.add(node.getName())) {
          reached.add(new Located(node, null));
          node.getInputList().forEach(input -> todo.push(nodeName(input)));
          calls.addAll(called(node));
        }
      }
      Set<String> called = new HashSet<>();
      while (!calls.isEmpty()) {
        FunctionDef function = functions.get(calls.pop());
        if (function != null && called.add(function.getSignature().getName())) {
          for (NodeDef node : function.getNodeDefList()) {
            reached.add(new Located(node, function));
            calls.addAll(called(node));
          }
        }
      }
      return reached;
    }

    /** The functions a node calls: as its op, or through function-valued attributes. */
    Set<String> called(NodeDef node) {
      Set<String> called = new LinkedHashSet<>();
      if (functions.containsKey(node.getOp())) {
        called.add(node.getOp());
      }
      for (AttrValue value : node.getAttrMap().values()) {
        if (value.hasFunc()) {
          called.add(value.getFunc().getName());
        }
        value.getList().getFuncList().forEach(f -> called.add(f.getName()));
      }
      return called;
    }

    /**
     * Whether the RestoreV2 {@code node} reads from the graph's {@code filename} tensor: directly
     * (through identities), or from a function argument that every caller of its function feeds
     * with that tensor from the graph itself.
     */
    boolean readsFrom(Located restore, String filename) {
      NodeDef node = restore.node();
      if (filename.isEmpty() || node.getInputCount() == 0) {
        return false;
      }
      FunctionDef function = restore.function();
      if (function == null) {
        return source(nodes, node.getInput(0), Set.of(filename)).equals(filename);
      }
      Map<String, NodeDef> local = new HashMap<>();
      function.getNodeDefList().forEach(n -> local.put(n.getName(), n));
      List<String> arguments =
          function.getSignature().getInputArgList().stream().map(arg -> arg.getName()).toList();
      int argument = arguments.indexOf(source(local, node.getInput(0), Set.copyOf(arguments)));
      String name = function.getSignature().getName();
      List<Located> callers = all().stream().filter(c -> called(c.node()).contains(name)).toList();
      if (argument < 0 || callers.isEmpty()) {
        return false;
      }
      for (Located located : callers) {
        NodeDef caller = located.node();
        boolean plainCall =
            caller.getOp().equals(name)
                || (CALLS.contains(caller.getOp()) && calls(caller.getAttrMap().get("f"), name));
        List<String> data =
            caller.getInputList().stream().filter(input -> !input.startsWith("^")).toList();
        if (located.function() != null
            || !plainCall
            || data.size() <= argument
            || !source(nodes, data.get(argument), Set.of(filename)).equals(filename)) {
          return false;
        }
      }
      return true;
    }

    private static boolean calls(AttrValue f, String function) {
      return f != null && f.hasFunc() && f.getFunc().getName().equals(function);
    }

    /**
     * The node an input comes from, looking through {@code Identity} nodes and stopping at the
     * first of {@code targets} met on the way.
     */
    private static String source(Map<String, NodeDef> scope, String input, Set<String> targets) {
      String name = nodeName(input);
      Set<String> seen = new HashSet<>();
      NodeDef node = scope.get(name);
      while (!targets.contains(name)
          && node != null
          && node.getOp().equals("Identity")
          && node.getInputCount() > 0
          && seen.add(name)) {
        name = nodeName(node.getInput(0));
        node = scope.get(name);
      }
      return name;
    }
  }

  /** A node of the graph ({@code function} null) or of one of its functions. */
  private record Located(NodeDef node, FunctionDef function) {
    String describe() {
      String where = function == null ? "" : " in function " + function.getSignature().getName();
      return "'" + node.getName() + "' (" + node.getOp() + ")" + where;
    }
  }
}
