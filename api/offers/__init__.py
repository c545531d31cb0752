"""The job-offer checker: red flags of trafficking and illegal placement in a job offer."""
