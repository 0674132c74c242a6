using System.Runtime.InteropServices;
using Grela.Errors;

namespace Grela.Training;

/// <summary>
/// One more try for work that libtorch failed and that has changed nothing yet. Most native errors
/// are deterministic and come back on the second try; one is not: TorchSharp frees the Scalars it
/// makes for a call (every tensor addition makes one for its alpha) in their finalizers, so a
/// collection that another thread triggers during the native call can free one that libtorch is
/// still reading ("Expected false to be true ... toFloat at c10/core/Scalar.h"). That stopped one
/// 8-epoch ML-1M run in its seventh epoch, and forcing collections on a second thread reproduces it
/// in seconds; no change on Grela's side removes it, since the Scalars are made inside TorchSharp.
/// </summary>
internal static class NativeRetry
{
    /// <summary>
    /// Runs <paramref name="work"/>; after an <see cref="ExternalException"/> tells the observer and
    /// runs it once more (work must restore whatever state it starts from).
    /// </summary>
    public static T Run<T>(Func<T> work, ITrainingObserver observer, string what)
    {
        try
        {
            return work();
        }
        catch (ExternalException e)
        {
            observer.Message($"libtorch failed in {what} ({NativeErrorText.Summary(e)}); running it again");
            return work();
        }
    }
}
