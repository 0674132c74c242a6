namespace Grela.Data;

/// <summary>Which held-out item is the target: the second-to-last (validation) or the last (test).</summary>
public enum EvaluationStage { Validation, Test }
