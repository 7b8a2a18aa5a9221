using System.Globalization;
using System.Text;

namespace Aver.Training.Recipes;

/// <summary>The model card written next to the default model's weights: what it predicts, from what data, how well, and under which terms.</summary>
public static class ModelCard
{
    public static string Write(DefaultModelOptions o, DefaultModelResult r, int trainClips, int validationClips, string trainActors, string validationActors)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Aver default model — decision-level audio + face fusion");
        sb.AppendLine();
        sb.AppendLine("`aver predict` uses this model when no `--model` is given. It is made by one command (below) from the shared data;");
        sb.AppendLine("this card is written by that command, so its numbers are the ones measured when the weights were made.");
        sb.AppendLine();
        sb.AppendLine("## Label space");
        sb.AppendLine();
        sb.AppendLine($"`{DefaultModelRecipe.Labels.Name}` (FER2013's seven classes, in this order): {string.Join(", ", DefaultModelRecipe.Labels.Names)}. Also in `labels.txt`.");
        sb.AppendLine("RAVDESS *calm* has no counterpart in this space: calm clips were left out of training, and the model never answers calm.");
        sb.AppendLine();
        sb.AppendLine("## Branches and training data");
        sb.AppendLine();
        sb.AppendLine("| branch | network | trained on | validation (calibration, weight) | validation accuracy | weight | temperature |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        string visualNetwork = r.VisualFrom?.Network ?? $"ResNet-18, width {o.FerWidth}";
        string faceShift = o.FaceShift == 0 ? "" : $"; crop centre moved {(o.FaceShift < 0 ? "up" : "down")} {Math.Abs(o.FaceShift):0.###} of its side";
        sb.AppendLine(c, $"| visual | {visualNetwork}, 1 x 48 x 48 grey faces (MRPN §5.2 FER2013 pre-training{faceShift}) | FER2013 train (90%) | FER2013 train images held out by `aver pretrain` ({r.Visual.Examples}) | {r.Visual.Accuracy:P1} ({(double.IsFinite(r.VisualTestAccuracy) ? $"FER2013 test: {r.VisualTestAccuracy:P1}" : "FER2013 test: see `aver score` below")}) | {r.VisualWeight:F3} | {r.Visual.Temperature:F3} |");
        sb.AppendLine(c, $"| audio | {r.AudioNetwork} | RAVDESS speech, actors {trainActors} ({trainClips} clips) | RAVDESS actors {validationActors} ({validationClips} clips, speaker-independent) | {r.Audio.Accuracy:P1} | {r.AudioWeight:F3} | {r.Audio.Temperature:F3} |");
        sb.AppendLine();
        bool ensemble = o.AudioEnsemble.Count > 0;
        if (o.AudioFrom is not null)
            sb.AppendLine(c, $"Chance is {1.0 / DefaultModelRecipe.Labels.Count:P1} for seven classes. The audio branch: {r.AudioRecipe}. Weights: {r.Bytes / 1e6:F1} MB, float16 safetensors.");
        else
        {
            sb.AppendLine(c, $"Chance is {1.0 / DefaultModelRecipe.Labels.Count:P1} for seven classes. Audio training{(ensemble ? " (the first network)" : "")}: {r.AudioTraining.History.Count} epochs,");
            sb.AppendLine(c, $"{r.AudioRecipe}. Weights: {r.Bytes / 1e6:F1} MB, float16 safetensors.");
        }
        var accuracies = r.AudioTraining.History.Where(e => e.ValidationAccuracy is not null).Select(e => e.ValidationAccuracy!.Value).ToList();
        if (accuracies.Count > 1)
        {
            sb.AppendLine(c, $"The audio accuracy is measured on the same two speakers that chose the best epoch and the temperature, so it is optimistic;");
            sb.AppendLine(c, $"over the epochs {(o.AudioFrom is not null ? "the trained network's" : ensemble ? "the first network's" : "it")} ranged from {accuracies.Min():P1} to {accuracies.Max():P1} ({validationClips} clips: one clip is {1.0 / validationClips:P1}).");
        }
        if (o.AudioFrom is null)
            sb.AppendLine(o.AudioConfig is { } config
            ? $"The same recipe's speaker-independent cross-validation over actor pairs ({string.Join(", ", new[] { config }.Concat(o.AudioEnsemble).Select(c => $"`aver evaluate {c}`"))}) is the better estimate of the audio network's accuracy."
            : "MRPN's speaker-independent protocol over all actor pairs (`aver evaluate configs/ravdess-audio-am-t-cpu.yaml`) is the better estimate of the audio network's accuracy.");
        sb.AppendLine();
        sb.AppendLine("## How the branches are fused");
        sb.AppendLine();
        sb.AppendLine("No paired audio-video corpus of any useful size is at hand, so no fusion network (MRPN N0/N1/N2, AVEF's DBN) is trained here:");
        sb.AppendLine("the two branches are trained apart and fused **at the decision level** over the shared label space. Each branch's logits are");
        sb.AppendLine("divided by a temperature fitted on its own validation data (minimum negative log-likelihood; temperature scaling, Guo et al. 2017),");
        sb.AppendLine("and the clip's probabilities are the weighted average of the branches that could answer, p = Σ w_m p_m / Σ w_m.");
        sb.AppendLine("Each weight is the branch's calibrated information gain over chance on its validation data, ln 7 − NLL, normalised:");
        sb.AppendLine(c, $"audio {r.Audio.InformationGain:F3} nats, visual {r.Visual.InformationGain:F3} nats. The visual branch's validation data are FER2013 photographs,");
        sb.AppendLine("not video frames, so its weight is an estimate made without the target domain. A clip with audio only or video only");
        sb.AppendLine("uses that branch alone; a branch that finds no face or only silence is reported and left out.");
        sb.AppendLine("MRPN fusion weights come from `aver train` on a paired corpus a user has; such a model is a different bundle format.");
        if (o.AudioConfig is not null || o.AudioFrom is not null)
        {
            sb.AppendLine("In a timeline, the audio network answers each window from the clip length of audio centred on it (the input it was trained on),");
            sb.AppendLine("so its answers resolve emotion to about that length; on a recording no longer than a clip every window answers as the clip.");
        }
        sb.AppendLine();
        sb.AppendLine("## Reproduce");
        sb.AppendLine();
        sb.AppendLine($"Made by Aver {Aver.Tensors.BuildInfo.Version}, commit {Aver.Tensors.BuildInfo.Commit}, with:");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine(o.Command ?? "./aver build-model --fer ../shared/data/fer2013 --ravdess ../shared/data/ravdess --out models/default");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(o.AudioFrom is null
            ? string.Create(c, $"The audio training's epochs took {r.AudioTraining.History.Sum(e => e.Seconds) / 60:F1} min on the project's shared 2-core machine (the last run of the command, resuming finished training, {r.Elapsed.TotalMinutes:F1} min).")
            : string.Create(c, $"The command took {r.Elapsed.TotalMinutes:F1} min on the project's shared 2-core machine."));
        if (o.VisualCheckpoint is null)
        {
            sb.AppendLine("The command pre-trains the visual branch with `aver pretrain`'s");
            sb.AppendLine(c, $"code ({o.FerEpochs} epochs, seed {o.FerSeed}; about 30 min on 2 cores) unless `--visual` names an existing `aver pretrain` output made with the same");
            sb.AppendLine("data and seed; both trainings resume from their run folders.");
        }
        else
        {
            var v = r.VisualFrom;
            sb.AppendLine(c, $"The visual branch is the {(v?.Command?.StartsWith('#') == true ? "network" : "`aver pretrain` output")} `--visual` names{(v?.BestEpoch is int e ? $" (its best epoch: {e}" + (v.TenCropTestAccuracy is double t ? $"; FER2013 test with ten-crop averaging: {t:P1}" : "") + ")" : "")}, made by:");
            sb.AppendLine();
            sb.AppendLine("```sh");
            sb.AppendLine(v?.Command ?? "# not recorded in that file; see the results/ report of the run that made it");
            sb.AppendLine("```");
            if (v is { Others.Count: > 0 })
            {
                sb.AppendLine();
                sb.AppendLine("and the ensemble's other networks (their probabilities averaged with its), made by:");
                sb.AppendLine();
                sb.AppendLine("```sh");
                foreach (var other in v.Others)
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{other.Command ?? "# not recorded in that file"}{(other.BestEpoch is int oe ? $"   # best epoch {oe}" + (other.TenCropTestAccuracy is double ot ? $"; FER2013 test with ten-crop {ot:P1}" : "") : "")}");
                sb.AppendLine("```");
            }
            sb.AppendLine();
            sb.AppendLine(o.AudioFrom is null ? "The audio training resumes from its run folder."
                : o.AudioConfig is null ? $"The audio branch is taken whole from `{o.AudioFrom}`."
                : $"The audio branch keeps the networks of `{o.AudioFrom}` whole; the `--audio-config` networks' training resumes from its run folders.");
        }
        sb.AppendLine();
        sb.AppendLine("## Licences and intended use");
        sb.AppendLine();
        sb.AppendLine("The weights are derived from RAVDESS (CC BY-NC-SA 4.0) and FER2013 (research use only). They inherit those terms:");
        sb.AppendLine("**non-commercial research use only**, with attribution to RAVDESS (Livingstone & Russo 2018) and FER2013 (Goodfellow et al. 2013).");
        sb.AppendLine("Acted emotions of a few North-American actors (RAVDESS) and web photographs (FER2013) are not everyday speech and faces:");
        sb.AppendLine("expect much lower accuracy on natural material, and do not use the output to make decisions about people.");
        return sb.ToString();
    }
}
