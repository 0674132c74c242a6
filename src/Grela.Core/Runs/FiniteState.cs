using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Runs;

/// <summary>A model or optimizer whose state holds NaN or infinite values: it must never be saved.</summary>
public sealed class NonFiniteStateException(string message) : Exception(message);

/// <summary>
/// The check that keeps non-finite numbers out of checkpoints: every floating-point entry of a
/// model's state dict and every tensor an optimizer keeps per parameter (Adam's moments, ...) must
/// be finite. Run by the checkpoint writer itself, so no caller can forget it.
/// </summary>
public static class FiniteState
{
    /// <summary>The first non-finite state-dict entry of <paramref name="module"/>, or null.</summary>
    public static string? FirstNonFinite(nn.Module module)
    {
        foreach (var (name, tensor) in module.state_dict())
            if (!IsFinite(tensor))
                return name;
        return null;
    }

    /// <summary>
    /// The first non-finite optimizer state ("state[i].field"), or null. The tensors are found by
    /// reflection over each per-parameter state object, so every TorchSharp optimizer is covered.
    /// </summary>
    public static string? FirstNonFinite(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var states = optimizer.state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            foreach (var field in state.GetType().GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                if (field.GetValue(state) is Tensor tensor && !IsFinite(tensor))
                    return $"state[{i}].{field.Name}";
        }
        return null;
    }

    /// <summary>Refuses to go on when the model or the optimizer holds a non-finite value.</summary>
    public static void Require(nn.Module model, TorchSharp.Modules.OptimizerHelper? optimizer, string what)
    {
        var bad = FirstNonFinite(model);
        if (bad is not null)
            throw new NonFiniteStateException($"{what}: refused: model parameter \"{bad}\" holds NaN or infinite values (training diverged; lower 'lr' or set 'clip-norm')");
        bad = optimizer is null ? null : FirstNonFinite(optimizer);
        if (bad is not null)
            throw new NonFiniteStateException($"{what}: refused: optimizer {bad} holds NaN or infinite values (training diverged; lower 'lr' or set 'clip-norm')");
    }

    private static bool IsFinite(Tensor tensor)
    {
        if (tensor.IsInvalid || !tensor.is_floating_point() || tensor.numel() == 0)
            return true;
        using var scope = NewDisposeScope();
        return torch.isfinite(tensor).all().item<bool>();
    }
}
