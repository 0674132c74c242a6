// netstandard2.0 lacks the marker type that init-only setters (and so records) compile against.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
