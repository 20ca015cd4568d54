"""The model card's `evaluation` section and EVALUATION.md, both written from the card's figures alone.

train_demo_model.py writes the training generator's held-out figures; `deploy/bench.sh robustness` adds the figures
of the independent set (generator B through the Java step) with
    /usr/bin/python3 inference/training/report.py --card model.json --independent figures.json --report EVALUATION.md
The card's headline fields (lesionSensitivity, meanDice, ...) are the independent set's once it has been measured.
"""
import argparse
import json
import pathlib

GOALS = {"sensitivity": 0.9, "falsePositivesPerStudy": 0.25, "labelAccuracy": 0.9, "lesionFreeWithoutFinding": 0.95}
HEADLINE = ("lesionSensitivity", "perLabelSensitivity", "meanDice", "perLabelDice", "labelAccuracy",
            "falsePositivesPerStudy", "lesionFreeWithoutFinding")


def card_evaluation(training, independent):
    headline = independent or training
    evaluation = {"heldOutCases": headline["studies"], "set": "independent" if independent else "training generator"}
    evaluation.update({k: headline[k] for k in HEADLINE})
    evaluation["goals"] = GOALS
    evaluation["trainingGenerator"] = training
    if independent:
        evaluation["independentSet"] = independent
    return evaluation


def _rows(title, e):
    lines = ["", f"## {title}", "", e.get("generator", ""), "",
             "| label | lesions | sensitivity | mean Dice |", "|---|---|---|---|"]
    for name, sensitivity in e["perLabelSensitivity"].items():
        lines.append(f"| {name} | {e['perLabelLesions'][name]} | {sensitivity:.3f} | {e['perLabelDice'][name]:.3f} |")
    lines += ["", "| studies | lesions | sensitivity | false positives / study | label accuracy | "
                  "lesion-free studies | lesion-free with no finding |", "|---|---|---|---|---|---|---|",
              f"| {e['studies']} | {e['lesions']} | {e['lesionSensitivity']:.3f} | {e['falsePositivesPerStudy']:.3f} | "
              f"{e['labelAccuracy']:.3f} | {e['lesionFreeStudies']} | {e['lesionFreeWithoutFinding']:.3f} |"]
    if e.get("note"):
        lines += ["", e["note"]]
    return lines


def markdown(card):
    e, t = card["evaluation"], card["training"]
    lines = [f"# Evaluation of {card['name']} {card['version']}", "",
             "Synthetic demonstration model; not for clinical use. Written from the model card by "
             "`inference/training/report.py` (training: `train_demo_model.py`; independent set: "
             "`deploy/bench.sh robustness`): do not edit by hand.", "",
             "- A finding is a 26-connected component of a finding label (nodule, liver lesion) of at least 0.05 mL. "
             "A lesion is detected when a finding of its label overlaps it; its label is right when the finding that "
             "overlaps it most has its label (label accuracy is over lesions overlapped by any finding). A false "
             "positive is a finding that overlaps no lesion. Dice per lesion: the lesion against the union of the "
             "findings of its label that overlap it (0 when missed).",
             f"- Goals: sensitivity >= {GOALS['sensitivity']}, false positives <= {GOALS['falsePositivesPerStudy']} "
             f"per study, label accuracy >= {GOALS['labelAccuracy']}, >= {GOALS['lesionFreeWithoutFinding']:.0%} of "
             "lesion-free studies with no finding."]
    if "independentSet" in e:
        lines += _rows("Independent set (generator B, DICOM, through the Java step)", e["independentSet"])
    else:
        lines += ["", "## Independent set", "", "Not measured for these weights yet: run `deploy/bench.sh robustness`."]
    if "studies" in e["trainingGenerator"]:
        lines += _rows("Training generator, held-out seed (Python, model grid)", e["trainingGenerator"])
    else:
        lines += ["", "## Training data, held-out", "", f"Lesion sensitivity {e['trainingGenerator']['lesionSensitivity']}"
                  f" on the held-out set of the recipe the model was trained on ({e['trainingGenerator']['generator']})."]
    if "stages" in t:
        stages = "; ".join(f"{st['name']}: {st['steps']} steps of {st['batch']} crops of {st['crop']} x {st['crop']} "
                           f"pixels ({st['lesionShare']:.0%} through a lesion), rate {st['rate']}, class weights "
                           f"{', '.join(f'{w:g}' for w in st['weights'])}" for st in t["stages"])
        sees = card["input"].get("neighbourSlices") or 0
        seen = (f"each slice with the {sees} grid slice{'s' if sees > 1 else ''} below and above it as more channels "
                f"({card['input']['channels']} in all)" if sees else f"one slice ({card['input']['channels']} channels)")
        lines += ["", "## Model and training", "",
                  f"- 2D U-Net, {t['parameters']} parameters, input {seen}; each crop from a new random phantom of generator A "
                  f"({t['cases']} phantoms); stages, each from the previous one's weights: {stages}; seed {t['seed']}; "
                  f"{t['seconds']} s for training and the held-out evaluation."]
    if "operatingPoint" in t:
        op = t["operatingPoint"]
        least = ", ".join(f"{l['name']} {l['detection']['minimumConfidence']:.2f}" for l in card["labels"]
                          if "detection" in l)
        lines += [f"- Operating point (the card's `detection`, applied by the Java step): a segment is a finding when "
                  f"its mean probability reaches {least}; chosen on {op['chosenOn']} as the least confidence with at "
                  f"most {op['falsePositivesPerStudyPerLabel']} false positives per study and label after the site "
                  "rule (a nodule in the lung, a liver lesion in the liver) and the shape rule (each label's "
                  "`plausibility.maxElongation`)."]
        low = card.get("confidence", {}).get("lowBelowByLabel", {})
        if low:
            lines += ["- Low confidence (the card's `confidence.lowBelowByLabel`, flagged in the review): "
                      + ", ".join(f"{name} below {bound:.2f}" for name, bound in low.items())
                      + "; just above the most confident false finding the same studies still gave at the operating "
                        "point."]
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--card", type=pathlib.Path, required=True)
    parser.add_argument("--independent", type=pathlib.Path, required=True)
    parser.add_argument("--report", type=pathlib.Path, required=True)
    args = parser.parse_args()
    card = json.loads(args.card.read_text())
    independent = json.loads(args.independent.read_text())
    training = card["evaluation"].get("trainingGenerator") or {
        "generator": "the single recipe of model 1.0.0, its card's earlier held-out figures",
        "lesionSensitivity": card["evaluation"]["lesionSensitivity"]}
    card["evaluation"] = card_evaluation(training, independent)
    args.card.write_text(json.dumps(card, indent=2) + "\n")
    args.report.write_text(markdown(card))


if __name__ == "__main__":
    main()
