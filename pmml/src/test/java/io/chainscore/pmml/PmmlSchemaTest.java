package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.StringReader;
import java.net.URL;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * Every exported document is valid against the PMML 4.4 XML schema (JPMML's copy of the DMG
 * schema, which also declares JPMML's {@code x-mathContext} attribute), so element order and
 * attribute types hold for consumers stricter than JPMML.
 */
class PmmlSchemaTest {
  private static Validator validator() throws Exception {
    URL xsd = org.dmg.pmml.PMML.class.getResource("/pmml.xsd");
    assertThat(xsd).as("pmml.xsd in pmml-model").isNotNull();
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    Schema schema = factory.newSchema(xsd);
    return schema.newValidator();
  }

  @Test
  void everyKind_validAgainstThePmml44Schema() throws Exception {
    Validator validator = validator();
    List<ModelBundle> bundles = List.of(DefaultModels.scorecard(), DefaultModels.gbdt(),
        ModelBundle.read(PmmlExportJpmmlTest.testBundle("logistic.json")),
        ModelBundle.read(PmmlExportJpmmlTest.testBundle("scorecard.json")),
        PmmlExportJpmmlTest.synthesizedScorecard(3),
        TreeEnsembleJpmmlTest.randomBundle(TreeEnsemble.Precision.FLOAT32, 3),
        TreeEnsembleJpmmlTest.randomBundle(TreeEnsemble.Precision.FLOAT64, 2),
        TreeEnsembleJpmmlTest.wrap(XGBoostModelReader.read(TreeEnsembleJpmmlTest.fixture("xgboost-small.json")), "x"),
        PmmlSegmentedTest.testBundle(), PmmlSegmentedTest.segmentedBundle(1), PmmlSegmentedTest.segmentedBundle(2),
        PmmlSegmentedTest.mixedBundle());
    for (ModelBundle b : bundles) {
      validator.validate(new StreamSource(new StringReader(PmmlExport.toPmml(b))));
    }
  }

  @Test
  void validator_catchesAMisorderedDocument() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    // MiningSchema after Output breaks the Scorecard's sequence
    String broken = pmml.replaceFirst("(?s)(    <MiningSchema>.*?</MiningSchema>\n)(    <Output>.*?</Output>\n)", "$2$1");
    assertThat(broken).isNotEqualTo(pmml);
    Validator validator = validator();
    assertThatThrownBy(() -> validator.validate(new StreamSource(new StringReader(broken))))
        .isInstanceOf(SAXException.class);
  }
}
