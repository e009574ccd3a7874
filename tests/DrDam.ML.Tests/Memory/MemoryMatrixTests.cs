using DrDam.ML.Compute;
using DrDam.ML.Memory;

namespace DrDam.ML.Tests.Memory;

public class MemoryMatrixTests
{
    [Fact]
    public void AddAndRemoveKeepPatternsInOrder()
    {
        var memory = new MemoryMatrix(2, new MemoryMatrixOptions());
        memory.AddRange(new float[] { 1, 2, 3, 4, 5, 6 }, 3);
        memory.RemoveAt(1);
        Assert.Equal(2, memory.Count);
        Assert.Equal([1f, 2f, 5f, 6f], memory.Patterns.ToArray());
        Assert.Equal([5f, 61f], memory.SquaredNorms.ToArray());
        Assert.Equal([5f, 6f], memory[1].ToArray());
    }

    [Fact]
    public void BadPatternsAreRejectedWithTheirPosition()
    {
        var memory = new MemoryMatrix(3, new MemoryMatrixOptions());
        var nan = Assert.Throws<ArgumentException>(() => memory.AddRange(new float[] { 0, 0, 0, 0, float.NaN, 0 }, 2));
        Assert.Equal("patterns", nan.ParamName);
        Assert.Contains("row 1, coordinate 1", nan.Message);
        var wrong = Assert.Throws<ArgumentException>(() => memory.Add(new float[] { 1, 2 }));
        Assert.Contains("3 values (got 2)", wrong.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrix(0, new MemoryMatrixOptions()));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void EmptyMemoryCannotBeEvaluated()
    {
        var memory = new MemoryMatrix(3, new MemoryMatrixOptions());
        var e = Assert.Throws<ArgumentException>(() => memory.EnergyAndGradient(new float[3], 1));
        Assert.Equal("memory", e.ParamName);
        Assert.Contains("Count = 0", e.Message);
    }
}
