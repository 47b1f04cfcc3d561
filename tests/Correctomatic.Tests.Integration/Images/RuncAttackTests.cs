using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>The attacks of issue #13 under runc, the engine's default runtime: Landlock and uid separation.</summary>
public sealed class RuncAttackTests(ITestOutputHelper output) : GraderAttackTests(output, "runc");
