using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>RecBole's weight initialisation for sequential recommenders (its <c>_init_weights</c>).</summary>
internal static class RecBoleInit
{
    /// <summary>
    /// Every Linear and Embedding weight of <paramref name="root"/> N(0, std^2) (the padding row
    /// included, as in RecBole), Linear biases 0, LayerNorm weight 1 and bias 0. Other modules
    /// (convolutions, GRUs, free parameters) keep their own initialisation.
    /// </summary>
    public static void Normal(nn.Module root, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Linear linear:
                    linear.weight.normal_(0, std);
                    linear.bias?.zero_();
                    break;
                case TorchSharp.Modules.Embedding embedding:
                    embedding.weight!.normal_(0, std);
                    break;
                case TorchSharp.Modules.LayerNorm norm:
                    norm.weight!.fill_(1.0);
                    norm.bias!.zero_();
                    break;
            }
        }
    }
}
