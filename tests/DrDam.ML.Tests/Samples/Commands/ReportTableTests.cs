using DrDam.ML.Samples.Commands;

namespace DrDam.ML.Tests.Samples.Commands;

/// <summary>
/// The table the commands print shows every measure of the report, nested ones part by part: `inpaint` printed
/// "System.Collections.Generic.Dictionary`2[…]" for its per-representation times.
/// </summary>
public class ReportTableTests
{
    [Fact]
    public void NestedMeasuresArePrintedPartByPart()
    {
        Assert.Equal("mrdam: 0.75\ndrdam: 116.25", ReportTable.Text(new Dictionary<string, double> { ["mrdam"] = 0.75, ["drdam"] = 116.25 }));
        Assert.Equal("mrdam: 0.012\ndrdam: -", ReportTable.Text(new Dictionary<string, double?> { ["mrdam"] = 0.012, ["drdam"] = null }));
        Assert.Equal("10000: 3.451", ReportTable.Text(new Dictionary<string, object?> { ["10000"] = 3.451 }));
    }

    [Fact]
    public void ValuesAndListsArePrintedPlainly()
    {
        Assert.Equal("-", ReportTable.Text(null));
        Assert.Equal("0.00261834", ReportTable.Text(0.002618341));
        Assert.Equal("142.235", ReportTable.Text(142.23456));
        Assert.Equal("301", ReportTable.Text(301));
        Assert.Equal("managed", ReportTable.Text("managed"));
        Assert.Equal("3 0 12", ReportTable.Text(new[] { 3, 0, 12 }));
        Assert.Equal("out/grid.png\nout/energy.png", ReportTable.Text(new[] { "out/grid.png", "out/energy.png" }));
    }
}
