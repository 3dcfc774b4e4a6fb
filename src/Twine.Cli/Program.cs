using Twine.Cli;

// The twine tool. Everything lives in TwineCommand so that tests run the same code with their own writers.
return TwineCommand.Invoke(args, Console.Out, Console.Error);
