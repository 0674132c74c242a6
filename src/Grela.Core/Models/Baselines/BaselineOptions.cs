namespace Grela.Models.Baselines;

/// <summary>
/// What a baseline needs to know about the data and what a user may override. Null fields take
/// the model's own default (see <see cref="BaselineModels"/>; the defaults follow the RecGRELA
/// paper's baseline settings and each model's official configuration).
/// </summary>
/// <param name="ItemCount">Item ids including padding id 0 (N).</param>
/// <param name="MaxLength">Window length L (positions learned by SASRec and LinRec).</param>
/// <param name="Dropout">Dropout rate of every dropout layer.</param>
/// <param name="Hidden">Hidden (embedding) width.</param>
/// <param name="Layers">Number of blocks (GRU layers for gru4rec).</param>
/// <param name="Heads">Attention heads (sasrec, linrec).</param>
public sealed record BaselineOptions(
    int ItemCount,
    int MaxLength = 200,
    double Dropout = 0.2,
    int? Hidden = null,
    int? Layers = null,
    int? Heads = null);

/// <summary>A baseline's default hidden width, number of layers and attention heads.</summary>
public sealed record BaselineDefaults(int Hidden, int Layers, int Heads);
