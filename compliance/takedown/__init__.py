"""The takedown wing: notices in, tickets through their workflow, letters and transparency figures out."""
