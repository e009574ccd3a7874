return DrDam.ML.Samples.Cli.Run(args);
