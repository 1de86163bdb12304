package io.chainscore.cli;

import io.chainscore.batch.engine.RunManifest;
import io.chainscore.develop.ApprovedPopulation;
import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.imports.ImportedModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore import}: wrap an XGBoost or LightGBM model into a model bundle. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Wrap a model trained elsewhere into a ChainScore model bundle.",
      "For xgboost, give a JSON or UBJSON model (Booster.save_model(\"m.json\") or \"m.ubj\", told apart by content); for lightgbm, a text model (model.txt).",
      "For pmml, give a PMML 4.4 Scorecard, logistic RegressionModel or MiningModel sum of TreeModels (docs/pmml.md): unsupported elements and attributes are refused by name. The PMML's own model id, version and max_missing_share are kept unless --model-id, --model-version or --max-missing-share is given; --schema does not apply to pmml (its DataDictionary is the schema).",
      "Options by format: --source, --out, --model-id, --model-version, --max-missing-share, --overwrite, --json: all formats; --schema and --categories: xgboost and lightgbm only; --reason-reference and --reference-data: tree ensembles (xgboost, lightgbm, a PMML of trees).",
      "Provenance (every format): source_model names the imported file (its name and SHA-256), training_data_sha256 repeats its SHA-256 (the training data are not known) and trainer records the import (format, ChainScore version, file name and SHA-256, the options given); a PMML's own provenance, or the provenance a chainscore export recorded in an XGBoost or LightGBM file, follows in trainer as what the document claims, and trained_at is its claimed time (else the file's modification time).",
      "The bundle gets the model's features (names normalised to snake_case), the score scale (PDO 20, 600 at 50:1), a master scale (the default one), a reason code per feature and golden rows; a file chainscore export wrote gives back its bundle's PD calibration, score scale, master scale, reason codes, statements and reason reference."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "xgboost, lightgbm or pmml")
  String format;

  @Option(names = "--source", paramLabel = "FILE", description = "The XGBoost, LightGBM or PMML model file to wrap (required).")
  Path in;

  /** The name --source had before the flag convention (README, "Command line"); still accepted. */
  @Option(names = "--in", hidden = true, paramLabel = "FILE")
  void legacyIn(Path file) {
    in = file;
  }

  @Option(names = "--out", required = true, description = "Bundle JSON to write.")
  Path out;

  @Option(names = "--model-id", description = "Model id (default: the file name without extension).")
  String modelId;

  @Option(names = "--model-version", defaultValue = "1.0.0", description = "Model version (default ${DEFAULT-VALUE}).")
  String modelVersion;

  @Option(names = "--schema", description = "Feature schema of the bundle: 'standard' (the standard supplier features,"
      + " so the bundle scores chainscore feature tables) or a bundle JSON whose schema to reuse; default: the model's"
      + " own feature names.")
  String schema;

  @Option(names = "--max-missing-share", defaultValue = "0.5", description = "The bundle's max_missing_share: a row"
      + " missing more than this share of the features the model uses is refused when scored (quarantined by score,"
      + " exit 2 in explain), from 0 to 1, where 1 refuses none (default ${DEFAULT-VALUE}).")
  double maxMissingShare;

  @Option(names = "--categories", paramLabel = "FEATURE=N", description = "xgboost and lightgbm: the number of"
      + " categories categorical FEATURE (the model's feature name, or the column it becomes) had in training, so the"
      + " bundle accepts the codes 0..N-1. Neither file records it: without this option the codes end at the largest"
      + " any split names, and a valid rarer category above it is quarantined as unknown (the library itself scores"
      + " it, on the not-in-set side of every split). Repeatable, once per feature; not with --schema.")
  List<String> categories = new ArrayList<>();

  @Option(names = "--reason-reference", paramLabel = "approved:PD|training-average",
      description = "What a tree model's reason codes are measured against (docs/adverse-action.md): training-average,"
          + " the default for an import, keeps TreeSHAP's own baseline, the average applicant of the data the model was"
          + " trained on; approved:PD (for example approved:0.05, train's default) subtracts each reason's mean TreeSHAP"
          + " contribution over the rows of --reference-data the model approves (PD at or below PD), so that a reason"
          + " says what counted against a supplier compared with an approved one. Stored in the bundle"
          + " (reason_reference). Tree ensembles only (xgboost, lightgbm, a PMML MiningModel of trees).")
  String reasonReference;

  @Option(names = "--reference-data", paramLabel = "FILE", description = "With --reason-reference approved:PD: a CSV,"
      + " Arrow or Parquet table with a column per model feature (by the bundle's feature names; other columns are"
      + " ignored), for example the development sample. Every row is scored; the approved ones are averaged (at most"
      + " 20,000, every k-th beyond). The bundle records the file's name and SHA-256, not its path.")
  Path referenceData;

  @Option(names = "--overwrite", description = "Replace an existing bundle.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    if (in == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--source=FILE'");
    }
    if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--max-missing-share " + maxMissingShare + ": expected a share from 0 to 1");
    }
    // the option, not the model file, is at fault: refused before the file is read (train's rule)
    TrainCommand.checkModelIdAndVersion(spec, modelId, modelVersion);
    Map<String, Integer> categoryCounts = categoryCounts();
    double approvalCutoff = checkReasonReference();
    OutputFiles.refuseAsOutputFile(out, overwrite);
    if (format.equalsIgnoreCase("pmml")) {
      return importPmml(approvalCutoff);
    }
    TreeEnsemble ensemble = switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "xgboost" -> XGBoostModelReader.read(in);
      case "lightgbm" -> LightGbmModelReader.read(in);
      default -> throw new IllegalArgumentException("unknown model format '" + format + "'; expected xgboost, lightgbm or pmml");
    };
    String name = in.getFileName().toString();
    String id = modelId != null ? modelId : name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    Instant modified = Files.getLastModifiedTime(in).toInstant().truncatedTo(ChronoUnit.SECONDS);
    // The training data is not known to ChainScore: the provenance hash is the model file's.
    io.chainscore.features.FeatureSchema target = schema == null ? defaultSchema(ensemble, categoryCounts)
        : schema.equals("standard") ? io.chainscore.features.StandardFeatures.SCHEMA
        : ModelBundle.read(Path.of(schema)).schema();
    ModelBundle bundle;
    try {
      String sha256 = RunManifest.sha256(in);
      bundle = ImportedModels.wrap(ensemble, ImportedModels.Options.builder().modelId(id).modelVersion(modelVersion)
          .trainedAt(modified.toString()).dataSha256(sha256).schema(target)
          .maxMissingShare(maxMissingShare).trainer(importRecord(ensemble.source(), sha256))
          // the file under its own name: training_data_sha256 repeats its hash only because the format requires it
          .sourceModel(name, sha256).build());
    } catch (ModelFormatException e) {
      // the model read, but cannot be a credit bundle: name the file, as the readers' refusals do
      throw e.inFile(in);
    }
    bundle = withReasonReference(bundle, approvalCutoff);
    Path partial = OutputFiles.partialBeside(out);
    bundle.write(partial);
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (json) {
      java.util.Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model_id", bundle.modelId());
      j.put("model_version", bundle.modelVersion());
      j.put("sha256", bundle.sha256());
      j.put("trees", ensemble.trees().size());
      j.put("features", ensemble.featureNames().size());
      putReasonReference(j, bundle);
      JsonOutput.print(spec.commandLine().getOut(), j);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Wrapped %s (%d trees, %d features) into %s %s: %s (sha256 %s)%n",
        ensemble.source(), ensemble.trees().size(), ensemble.featureNames().size(), bundle.modelId(),
        bundle.modelVersion(), out, bundle.sha256());
    printReasonReference(bundle);
    return ExitCodes.SUCCESS;
  }

  /**
   * The approval cut-off of {@code --reason-reference approved:PD}, NaN for training-average (the
   * default here: an import has no development rows unless given), checked with {@code
   * --reference-data} before the model file is read.
   */
  private double checkReasonReference() {
    String value = reasonReference == null ? "training-average" : reasonReference;
    if (value.equals("training-average")) {
      if (referenceData != null) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reference-data " + referenceData
            + ": applies only with --reason-reference approved:PD (the rows whose approved ones are averaged)");
      }
      return Double.NaN;
    }
    double pd = TrainCommand.approvalCutoff(spec, value);
    if (referenceData == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reason-reference " + value
          + " needs --reference-data FILE: the rows (for example the development sample) whose approved ones are"
          + " averaged");
    }
    if (!Files.isRegularFile(referenceData)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reference-data " + referenceData + ": "
          + (Files.isDirectory(referenceData) ? "is a directory; expected a CSV, Arrow or Parquet file" : "no such file"));
    }
    return pd;
  }

  /**
   * {@code bundle} with its reasons measured against the approved rows of --reference-data, as
   * train measures them on its training rows; unchanged for training-average (NaN).
   */
  private ModelBundle withReasonReference(ModelBundle bundle, double approvalCutoff) throws IOException {
    if (Double.isNaN(approvalCutoff)) {
      return bundle;
    }
    if (!"tree_ensemble".equals(bundle.modelKind())) {
      // before the sample is read: its columns need not fit a model the option cannot apply to
      throw new IllegalArgumentException("--reason-reference " + reasonReference + ": an approved-population reference"
          + " is for tree ensembles; this is a " + bundle.modelKind() + " model, whose reasons are measured by its own"
          + " rule (docs/adverse-action.md)");
    }
    LabelJoin.Columns table = TabularFiles.columns(referenceData, null);
    double[] rows = ValidateCommand.rows(bundle.schema(), table, referenceData);
    String sample = "rows of " + referenceData.getFileName() + " (sha256 " + RunManifest.sha256(referenceData) + ")";
    try {
      return ApprovedPopulation.apply(bundle, ApprovedPopulation.measure(bundle, rows, table.rowCount(), sample,
          approvalCutoff, ApprovedPopulation.DEFAULT_MAX_ROWS));
    } catch (IllegalArgumentException | ModelFormatException e) {
      throw new IllegalArgumentException("--reason-reference " + reasonReference + ": " + e.getMessage(), e);
    }
  }

  private static boolean approvedPopulation(ModelBundle.ReasonReference r) {
    return r != null && r.method().equals("approved_population");
  }

  private static void putReasonReference(java.util.Map<String, Object> j, ModelBundle bundle) {
    ModelBundle.ReasonReference r = bundle.reasonReference();
    j.put("reason_reference", approvedPopulation(r) ? r.population() : "training_average");
  }

  private void printReasonReference(ModelBundle bundle) {
    ModelBundle.ReasonReference r = bundle.reasonReference();
    spec.commandLine().getOut().println(!approvedPopulation(r)
        ? "Reasons: against the model's training average (TreeSHAP's baseline; --reason-reference approved:PD"
            + " --reference-data FILE measures them against the approved rows of a sample)"
        : "Reasons: against the approved population, " + r.population());
  }

  /**
   * The --categories values as feature to count, in the order given, after the checks that need no
   * model: the form FEATURE=N with N a positive whole number, each FEATURE once, not with --schema
   * (its categories are the schema's) nor pmml (its DataDictionary's). The model's own rules (a
   * categorical feature, N above every category a split names, at most the cap) are {@link
   * TreeEnsemble#defaultSchema(Map)}'s.
   */
  private Map<String, Integer> categoryCounts() {
    if (!categories.isEmpty() && format.equalsIgnoreCase("pmml")) {
      throw refusedCategories(categories.get(0), "does not apply to pmml: the PMML's DataDictionary enumerates the"
          + " categories");
    }
    if (!categories.isEmpty() && schema != null) {
      throw refusedCategories(categories.get(0), "does not apply with --schema, whose categories are the schema's");
    }
    String expected = "FEATURE=N, N a positive number of categories";
    Map<String, String> given;
    try {
      given = NameValues.parse("--categories", categories, expected);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String digits = e.getValue();
      if (!digits.matches("[0-9]+") || digits.matches("0+")) {
        throw refusedCategories(e.getKey() + "=" + digits, "expected " + expected);
      }
      // a count beyond int is beyond the default schema's cap too, which defaultSchema refuses
      counts.put(e.getKey(), digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits));
    }
    return counts;
  }

  /**
   * The model's default schema with the --categories counts; a count the model refuses is named as
   * given (defaultSchema's message begins with the entry as name=n).
   */
  private io.chainscore.features.FeatureSchema defaultSchema(TreeEnsemble ensemble, Map<String, Integer> counts)
      throws ModelFormatException {
    if (counts.isEmpty()) {
      return null;
    }
    try {
      return ensemble.defaultSchema(counts);
    } catch (ModelFormatException e) {
      // the model's own names (a key column): the file's fault, named as the import's other refusals are
      throw e.inFile(in);
    } catch (IllegalArgumentException e) {
      for (String value : categories) {
        String feature = NameValues.name(value);
        String entry = feature + "=" + counts.get(feature) + ": ";
        if (e.getMessage().startsWith(entry)) {
          throw refusedCategories(value, e.getMessage().substring(entry.length()));
        }
      }
      throw e;
    }
  }

  private picocli.CommandLine.ParameterException refusedCategories(String value, String why) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), "--categories " + value + ": " + why);
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /**
   * The provenance trainer of an import, one rule for every format: what was imported, by which
   * ChainScore, from which file (name and SHA-256) and with which options as given (defaults are
   * the command's documented ones). No clock time: the same file and options give the same bundle.
   */
  private String importRecord(String what, String sha256) throws IOException {
    StringBuilder options = new StringBuilder();
    for (String name : new String[] {"--model-id", "--model-version", "--schema", "--max-missing-share",
        "--reason-reference"}) {
      if (given(name)) {
        String value = spec.commandLine().getParseResult().matchedOptionValue(name, (Object) null).toString();
        // a schema bundle by its contents, as the imported file: name and SHA-256, not the path it lay
        // at (until 2026-12-07 "--schema /tmp/x/gb.json": the same files gave another bundle elsewhere)
        options.append(options.isEmpty() ? "" : " ").append(name).append(' ')
            .append(name.equals("--schema") && !value.equals("standard")
                ? Path.of(value).getFileName() + " sha256 " + RunManifest.sha256(Path.of(value)) : value);
      }
    }
    // each value as given and in order: a different count is a different bundle, the same ones the same bytes
    for (String value : categories) {
      options.append(options.isEmpty() ? "" : " ").append("--categories ").append(value);
    }
    return "imported from " + what + " by chainscore import " + format.toLowerCase(java.util.Locale.ROOT) + " ("
        + ChainScoreCli.versionText() + "); file " + in.getFileName() + " sha256 " + sha256 + "; options: "
        + (options.isEmpty() ? "none given" : options);
  }

  /** {@code import pmml}: the PMML's own model id, version and provenance unless it has none. */
  private Integer importPmml(double approvalCutoff) throws IOException, ModelFormatException {
    if (schema != null) {
      throw new IllegalArgumentException("--schema does not apply to pmml: the PMML's DataDictionary is the schema");
    }
    if (!Files.isRegularFile(in)) {
      if (Files.isDirectory(in)) {
        throw new IllegalArgumentException(in + " is a directory; --in names the PMML file");
      }
      throw new java.nio.file.NoSuchFileException(in.toString());
    }
    Instant modified = Files.getLastModifiedTime(in).toInstant().truncatedTo(ChronoUnit.SECONDS);
    String sha256 = RunManifest.sha256(in);
    // --model-version and --max-missing-share override the document's only when given: their
    // defaults are the other formats' and would silently replace what the PMML says
    ModelBundle bundle = io.chainscore.pmml.PmmlImport.read(in, new io.chainscore.pmml.PmmlImport.Options(
        in.getFileName().toString(), modelId, modified.toString(), sha256, given("--model-version") ? modelVersion : null,
        given("--max-missing-share") ? maxMissingShare : Double.NaN, importRecord("PMML", sha256)));
    bundle = withReasonReference(bundle, approvalCutoff);
    Path partial = OutputFiles.partialBeside(out);
    bundle.write(partial);
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (json) {
      java.util.Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model_id", bundle.modelId());
      j.put("model_version", bundle.modelVersion());
      j.put("model_kind", bundle.modelKind());
      j.put("sha256", bundle.sha256());
      j.put("features", bundle.schema().size());
      if ("tree_ensemble".equals(bundle.modelKind())) {
        putReasonReference(j, bundle);
      }
      JsonOutput.print(spec.commandLine().getOut(), j);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Imported %s (%s, %d features) into %s %s: %s (sha256 %s)%n", in.getFileName(),
        bundle.modelKind(), bundle.schema().size(), bundle.modelId(), bundle.modelVersion(), out, bundle.sha256());
    if ("tree_ensemble".equals(bundle.modelKind())) {
      printReasonReference(bundle);
    }
    return ExitCodes.SUCCESS;
  }
}
