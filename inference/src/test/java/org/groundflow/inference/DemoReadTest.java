package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo study as the demo shows it: its DICOM files read by {@link ImageVolumeReader} and interpreted by the
 * bundled model find the two lung nodules and the liver lesion of PHANTOM.md, each at its place and in its organ.
 */
class DemoReadTest {

    @TempDir
    Path work;

    @Test
    void theDemoStudyGivesItsRightNoduleAndItsLiverLesionAndSetsTheSmallerLeftNoduleAside() {
        ImageVolume volume = ImageVolumeReader.read(SyntheticStudy.demo().writeTo(work));
        InterpretationResult result = new GroundedInterpreter(DemoModel.get()).interpret(volume);

        // At the card's operating point (nodule 0.95, liver lesion 0.85) the model reports the right nodule and the
        // liver lesion and nothing false; the left nodule is segmented below the nodule confidence and is counted in
        // the read's set-aside list, where the radiologist sees it
        List<Finding> findings = result.interpretation().findings();
        assertThat(findings).extracting(Finding::label).containsExactly("nodule", "liver lesion");
        assertThat(findings).extracting(Finding::laterality).containsExactly(Laterality.RIGHT, Laterality.RIGHT);
        List<Lesion> lesions = SyntheticStudy.DEMO_LESIONS;
        int[] shown = {0, 2};
        for (int n = 0; n < 2; n++) {
            Lesion lesion = lesions.get(shown[n]);
            Finding finding = findings.get(n);
            assertThat(finding.site()).isEqualTo(n == 0 ? CodedConcept.sct("39607008", "Lung")
                    : CodedConcept.sct("10200004", "Liver"));
            double[] centre = centroid(volume, result, finding);
            assertThat(centre[0]).as("x of %s", finding.text()).isCloseTo(lesion.x(), within(3.0));
            assertThat(centre[1]).as("y of %s", finding.text()).isCloseTo(lesion.y(), within(3.0));
            assertThat(centre[2]).as("z of %s", finding.text()).isCloseTo(lesion.z(), within(3.0));
            // the liver lesion is outlined short of its edge (see the card's Dice on generator B): diameter within 10 mm
            assertThat(finding.measurements().longestAxialDiameterMm()).as("diameter of %s", finding.text())
                    .isCloseTo(2 * lesion.radius(), within(n == 0 ? 4.0 : 10.0));
        }
        assertThat(lesions.get(1).radius()).as("the left nodule is the smaller").isLessThan(lesions.get(0).radius());
        assertThat(result.interpretation().setAside()).anySatisfy(aside -> {
            assertThat(aside.label()).isEqualTo("nodule");
            assertThat(aside.reason()).isEqualTo("1 segment below the model's confidence of 0.95 for a nodule; not reported");
        });
        assertThat(result.interpretation().impression()).isEqualTo("1 nodule and 1 liver lesion; see findings.");
    }

    private static double[] centroid(ImageVolume volume, InterpretationResult result, Finding finding) {
        return Morphometry.centroid(volume, result.mask(finding.segmentNumber()).voxels().stream().toArray());
    }
}
