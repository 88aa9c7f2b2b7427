package dev.kiln.agent.tf;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The TensorFlow operations a model may use: what inference with ordinary dense, convolutional,
 * recurrent and embedding models needs, and what the demo model uses. It is an allowlist, so an
 * operation TensorFlow adds later is refused until it is listed here. Left out on purpose: every
 * operation that reads or writes files or talks to the network ({@code ReadFile}, {@code
 * WriteFile}, {@code MatchingFiles}, {@code ImmutableConst}, {@code Save}, {@code Restore},
 * readers, {@code tf.data} file datasets, table initialisers from files, {@code PrintV2} whose
 * output may be a file, summaries, debug ops), every operation that runs Python ({@code PyFunc},
 * {@code EagerPyFunc}), and training and random operations inference does not need. Stateless.
 */
final class AllowedOps {
  /** Inputs, constants, identities and control. */
  private static final Set<String> STRUCTURE =
      ops(
          """
          Const Placeholder PlaceholderV2 PlaceholderWithDefault Identity IdentityN NoOp
          StopGradient PreventGradient Snapshot EnsureShape CheckNumerics CheckNumericsV2 Assert
          ControlTrigger
          """);

  /** Shapes, slicing, joining and type conversion. */
  private static final Set<String> SHAPES =
      ops(
          """
          Shape ShapeN Size Rank Reshape Squeeze ExpandDims Pack Unpack Concat ConcatV2
          ConcatOffset Split SplitV Slice StridedSlice Tile Transpose Fill ZerosLike OnesLike
          Range Cast BroadcastTo BroadcastArgs BroadcastGradientArgs Gather GatherV2
          GatherNd ScatterNd TensorScatterUpdate Where Select SelectV2 Pad PadV2 MirrorPad
          Reverse ReverseV2 OneHot Unique UniqueV2 InvertPermutation MatrixBandPart MatrixDiag
          MatrixDiagV3 DepthToSpace SpaceToDepth SpaceToBatchND BatchToSpaceND Bucketize
          """);

  /** Arithmetic, comparison and reductions. */
  private static final Set<String> MATH =
      ops(
          """
          Add AddV2 AddN Sub Mul MulNoNan Div DivNoNan RealDiv FloorDiv FloorMod Mod TruncateDiv
          TruncateMod Maximum Minimum Pow SquaredDifference Neg Abs Sign Square Sqrt Rsqrt Exp
          Expm1 Log Log1p Sin Cos Tan Atan Atan2 Erf Erfc Floor Ceil Round Rint Reciprocal Inv
          IsNan IsInf IsFinite Equal NotEqual Less LessEqual Greater GreaterEqual LogicalAnd
          LogicalOr LogicalNot Sum Mean Max Min Prod All Any ArgMax ArgMin Cumsum Cumprod MatMul
          BatchMatMul BatchMatMulV2 BatchMatMulV3 Einsum ClipByValue SegmentSum SegmentMean
          SegmentMax UnsortedSegmentSum UnsortedSegmentMax TopKV2
          """);

  /** Neural network layers. */
  private static final Set<String> LAYERS =
      ops(
          """
          BiasAdd BiasAddV1 Relu Relu6 Elu Selu LeakyRelu Softplus Softsign Sigmoid Tanh Softmax
          LogSoftmax Conv2D Conv3D DepthwiseConv2dNative Conv2DBackpropInput
          Conv3DBackpropInputV2 MaxPool MaxPoolV2 MaxPool3D AvgPool AvgPool3D FusedBatchNorm
          FusedBatchNormV2 FusedBatchNormV3 LRN ResizeBilinear ResizeNearestNeighbor
          ResizeBicubic NonMaxSuppressionV3 NonMaxSuppressionV4 NonMaxSuppressionV5
          """);

  /** Embeddings, sparse features, in-memory lookup tables and strings (no file-backed tables). */
  private static final Set<String> FEATURES =
      ops(
          """
          ResourceGather SparseToDense SparseReshape SparseFillEmptyRows SparseSegmentSum
          SparseSegmentMean SparseSegmentSqrtN SparseTensorDenseMatMul StringToHashBucketFast
          StringToHashBucketStrong HashTableV2 InitializeTableV2 LookupTableFindV2
          LookupTableImportV2 LookupTableSizeV2 ParseExample ParseExampleV2 AsString StringJoin
          StringSplitV2 StringStrip StringLower StringUpper StringLength Substr StringToNumber
          ReduceJoin RegexReplace StaticRegexReplace RegexFullMatch StaticRegexFullMatch
          ShardedFilename ShardedFilespec
          """);

  /** Variables (per session), functions, control flow and tensor lists for recurrent layers. */
  private static final Set<String> STATE_AND_FLOW =
      ops(
          """
          VariableV2 Variable VarHandleOp ReadVariableOp AssignVariableOp Assign
          VarIsInitializedOp IsVariableInitialized DisableCopyOnRead PartitionedCall
          StatefulPartitionedCall If StatelessIf While StatelessWhile Case StatelessCase Switch
          Merge Enter Exit NextIteration LoopCond TensorArrayV3 TensorArrayReadV3
          TensorArrayWriteV3 TensorArrayGatherV3 TensorArrayScatterV3 TensorArraySizeV3
          TensorArrayCloseV3 TensorListReserve TensorListFromTensor TensorListGetItem
          TensorListSetItem TensorListStack TensorListLength TensorListElementShape
          TensorListPushBack TensorListPopBack
          """);

  /** Operations that compute only. */
  static final Set<String> COMPUTE =
      Stream.of(STRUCTURE, SHAPES, MATH, LAYERS, FEATURES, STATE_AND_FLOW)
          .flatMap(Set::stream)
          .collect(Collectors.toUnmodifiableSet());

  /** Reads the model's variables: allowed only in the restore step, from the loader's path. */
  static final String RESTORE = "RestoreV2";

  /** Write checkpoints: allowed only where Kiln never runs them (a saver's save step). */
  static final Set<String> SAVE = Set.of("SaveV2", "MergeV2Checkpoints");

  private AllowedOps() {}

  private static Set<String> ops(String names) {
    return Set.of(names.strip().split("\\s+"));
  }

  /** Whether {@code op} may appear in a model at all (where it may run is checked apart). */
  static boolean allowed(String op) {
    return COMPUTE.contains(op) || RESTORE.equals(op) || SAVE.contains(op);
  }

  /** Whether {@code op} reads or writes files. */
  static boolean touchesFiles(String op) {
    return RESTORE.equals(op) || SAVE.contains(op);
  }
}
