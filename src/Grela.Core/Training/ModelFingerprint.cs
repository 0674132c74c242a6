using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace Grela.Training;

/// <summary>
/// A hash that identifies a model's architecture: its spec record (hyperparameters as text) and every
/// state-dict entry's name, shape and dtype. Two models with the same fingerprint can exchange weights.
/// </summary>
public static class ModelFingerprint
{
    public static string Of(string modelRecord, torch.nn.Module module)
    {
        var text = new StringBuilder(modelRecord).Append('\n');
        foreach (var (name, tensor) in module.state_dict())
            text.Append(name).Append(':').Append(string.Join('x', tensor.shape)).Append(':').Append(tensor.dtype).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
