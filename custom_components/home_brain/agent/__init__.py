"""Turn logic beside the conversation entity: confirmations and what a conversation last touched."""
